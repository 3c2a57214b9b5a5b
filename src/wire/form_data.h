// An incremental multipart/form-data reader (RFC 7578) for browser-form
// uploads (S3's POST Object): the body arrives in pieces of any size; fields
// before the file are collected, the file's content is handed on as it
// arrives (never held whole), and what follows the file is skipped, since S3
// ignores the fields after it.
//
// Limits: the fields and part headers before the file are capped
// (`max_fields_bytes`; exceeding it is kResourceExhausted); a body that is not
// well-formed multipart/form-data is kInvalidArgument. The caller words both
// as its protocol's errors.
//
// Thread safety: one reader per request.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace ck::wire {

// The boundary of a `multipart/form-data; boundary=...` Content-Type, or
// nullopt when the type is another or names no usable boundary.
std::optional<std::string> FormDataBoundary(std::string_view content_type);

struct FormField {
  std::string name;  // as sent
  std::string value;
};

// The file part's head.
struct FormFile {
  std::string name;                     // the field's name ("file")
  std::optional<std::string> filename;  // absent when the file was sent as a plain field
  std::string content_type;             // the part's Content-Type, "" when absent
};

class FormDataReader {
 public:
  struct Callbacks {
    // Every field before the file, as it completes.
    std::function<Status(FormField)> on_field;
    // The file part begins (its name matched `file_field`); an error stops the reader.
    std::function<Status(const FormFile&)> on_file;
    // A piece of the file's content.
    std::function<Status(std::string_view)> on_data;
  };

  // `file_field` is compared without case.
  FormDataReader(std::string boundary, std::string file_field, size_t max_fields_bytes, Callbacks callbacks);

  Status Feed(std::string_view data);
  // The body ended: OK when the file part was read to its delimiter (the
  // rest need not be well formed); kNotFound when the body held no file part
  // and was otherwise well formed; kInvalidArgument otherwise.
  Status Finish();

  bool file_seen() const { return file_seen_; }
  bool file_done() const { return state_ == State::kAfterFile; }

 private:
  enum class State { kPreamble, kAfterDelimiter, kHeaders, kField, kFile, kAfterFile, kEnd };

  Status Step(bool* progressed);
  Status AfterDelimiter(bool* progressed);
  Status Headers(bool* progressed);
  Status FieldBody(bool* progressed);
  Status FileBody(bool* progressed);
  Status Count(size_t n);

  std::string delimiter_;  // "\r\n--" + boundary
  std::string file_field_;
  size_t max_fields_bytes_;
  Callbacks cb_;
  State state_ = State::kPreamble;
  std::string buf_;
  size_t fields_bytes_ = 0;
  FormField field_;
  bool file_seen_ = false;
};

}  // namespace ck::wire
