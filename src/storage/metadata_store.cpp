#include "storage/metadata_store.h"

#include "storage/scan_range.h"

namespace ck::storage {

void WriteBatch::Put(std::string table, std::string key, std::string value) {
  byte_size_ += table.size() + key.size() + value.size();
  mutations_.push_back(Op{OpKind::kPut, std::move(table), std::move(key), std::move(value)});
}

void WriteBatch::Delete(std::string table, std::string key) {
  byte_size_ += table.size() + key.size();
  mutations_.push_back(Op{OpKind::kDelete, std::move(table), std::move(key), {}});
}

void WriteBatch::ExpectAbsent(std::string table, std::string key) {
  byte_size_ += table.size() + key.size();
  preconditions_.push_back(Op{OpKind::kExpectAbsent, std::move(table), std::move(key), {}});
}

void WriteBatch::ExpectValue(std::string table, std::string key, std::string value) {
  byte_size_ += table.size() + key.size() + value.size();
  preconditions_.push_back(
      Op{OpKind::kExpectValue, std::move(table), std::move(key), std::move(value)});
}

void WriteBatch::Append(const WriteBatch& other) {
  preconditions_.insert(preconditions_.end(), other.preconditions_.begin(), other.preconditions_.end());
  mutations_.insert(mutations_.end(), other.mutations_.begin(), other.mutations_.end());
  byte_size_ += other.byte_size_;
}

void WriteBatch::Clear() {
  preconditions_.clear();
  mutations_.clear();
  byte_size_ = 0;
}

Status ValidateTableName(std::string_view table) {
  if (table.empty() || table.size() > 128) {
    return InvalidArgument("table name must be 1..128 characters");
  }
  for (char c : table) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) return InvalidArgument("table name has a character outside [A-Za-z0-9_.-]");
  }
  return Status::Ok();
}

Status ValidateBatch(const WriteBatch& batch) {
  for (const auto* ops : {&batch.preconditions(), &batch.mutations()}) {
    for (const auto& op : *ops) CK_RETURN_IF_ERROR(ValidateTableName(op.table));
  }
  return Status::Ok();
}

bool PreconditionHolds(const WriteBatch::Op& op, const std::optional<std::string>& found) {
  if (op.kind == WriteBatch::OpKind::kExpectAbsent) return !found.has_value();
  return found.has_value() && *found == op.value;
}

Status PreconditionFailed(const WriteBatch::Op& op, const std::optional<std::string>& found) {
  std::string what;
  if (op.kind == WriteBatch::OpKind::kExpectAbsent) {
    what = "expected absent but it exists";
  } else {
    what = found ? "value differs from the expected value" : "expected a value but it is absent";
  }
  return Status(Code::kAborted, "precondition failed: " + op.table + "[" +
                                    PrintableKey(op.key) + "] " + what);
}

}  // namespace ck::storage
