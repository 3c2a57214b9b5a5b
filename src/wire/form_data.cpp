#include "wire/form_data.h"

#include "base/codec.h"

namespace ck::wire {

namespace {

Status Malformed(std::string why) { return InvalidArgument("multipart/form-data: " + std::move(why)); }

// A parameter of a header value (`name="x"` or `name=x`), or nullopt.
std::optional<std::string> HeaderParam(std::string_view value, std::string_view param) {
  size_t pos = 0;
  while (pos < value.size()) {
    size_t semi = value.find(';', pos);
    std::string_view item =
        Trim(value.substr(pos, semi == std::string_view::npos ? std::string_view::npos : semi - pos));
    pos = semi == std::string_view::npos ? value.size() : semi + 1;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos || !EqualsIgnoreCase(Trim(item.substr(0, eq)), param)) continue;
    std::string_view v = Trim(item.substr(eq + 1));
    if (v.size() >= 2 && v.front() == '"') {
      // A quoted string: the value runs to the closing quote (a ';' inside is
      // part of it), with backslash escapes.
      size_t start = static_cast<size_t>(v.data() - value.data()) + 1;
      std::string out;
      for (size_t i = start; i < value.size(); ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) {
          out += value[++i];
        } else if (value[i] == '"') {
          return out;
        } else {
          out += value[i];
        }
      }
      return std::nullopt;
    }
    return std::string(v);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> FormDataBoundary(std::string_view content_type) {
  std::string_view type = Trim(content_type.substr(0, content_type.find(';')));
  if (!EqualsIgnoreCase(type, "multipart/form-data")) return std::nullopt;
  auto b = HeaderParam(content_type, "boundary");
  // RFC 2046: 1 to 70 characters.
  if (!b || b->empty() || b->size() > 70) return std::nullopt;
  return b;
}

FormDataReader::FormDataReader(std::string boundary, std::string file_field, size_t max_fields_bytes,
                               Callbacks callbacks)
    : delimiter_("\r\n--" + boundary),
      file_field_(std::move(file_field)),
      max_fields_bytes_(max_fields_bytes),
      cb_(std::move(callbacks)),
      buf_("\r\n") {}  // the first delimiter may open the body

Status FormDataReader::Count(size_t n) {
  fields_bytes_ += n;
  if (fields_bytes_ > max_fields_bytes_)
    return Status(Code::kResourceExhausted, "multipart/form-data: the fields before the file are too large");
  return Status::Ok();
}

Status FormDataReader::Feed(std::string_view data) {
  if (state_ == State::kAfterFile || state_ == State::kEnd) return Status::Ok();  // ignored, as S3 ignores it
  buf_.append(data);
  bool progressed = true;
  while (progressed) {
    progressed = false;
    CK_RETURN_IF_ERROR(Step(&progressed));
  }
  return Status::Ok();
}

Status FormDataReader::Step(bool* progressed) {
  switch (state_) {
    case State::kPreamble: {
      size_t at = buf_.find(delimiter_);
      if (at == std::string::npos) {
        size_t keep = delimiter_.size() - 1;
        if (buf_.size() > keep) {
          CK_RETURN_IF_ERROR(Count(buf_.size() - keep));
          buf_.erase(0, buf_.size() - keep);
        }
        return Status::Ok();
      }
      CK_RETURN_IF_ERROR(Count(at));
      buf_.erase(0, at + delimiter_.size());
      state_ = State::kAfterDelimiter;
      *progressed = true;
      return Status::Ok();
    }
    case State::kAfterDelimiter:
      return AfterDelimiter(progressed);
    case State::kHeaders:
      return Headers(progressed);
    case State::kField:
      return FieldBody(progressed);
    case State::kFile:
      return FileBody(progressed);
    case State::kAfterFile:
    case State::kEnd:
      buf_.clear();
      return Status::Ok();
  }
  return Status::Ok();
}

// After a delimiter: "--" closes the body; else optional padding, then CRLF.
Status FormDataReader::AfterDelimiter(bool* progressed) {
  if (buf_.size() < 2) return Status::Ok();
  if (buf_.compare(0, 2, "--") == 0) {
    state_ = State::kEnd;
    buf_.clear();
    return Status::Ok();
  }
  size_t crlf = buf_.find("\r\n");
  if (crlf == std::string::npos) {
    if (buf_.size() > 256) return Malformed("no line end after a boundary");
    return Status::Ok();
  }
  for (size_t i = 0; i < crlf; ++i)
    if (buf_[i] != ' ' && buf_[i] != '\t') return Malformed("text after a boundary");
  CK_RETURN_IF_ERROR(Count(crlf + 2));
  buf_.erase(0, crlf + 2);
  state_ = State::kHeaders;
  *progressed = true;
  return Status::Ok();
}

Status FormDataReader::Headers(bool* progressed) {
  size_t end = StartsWith(buf_, "\r\n") ? 0 : buf_.find("\r\n\r\n");
  if (end == std::string::npos) {
    if (fields_bytes_ + buf_.size() > max_fields_bytes_) return Count(buf_.size());
    return Status::Ok();
  }
  size_t used = end == 0 ? 2 : end + 4;
  CK_RETURN_IF_ERROR(Count(used));
  std::string_view block(buf_.data(), end);
  std::optional<std::string> name, filename;
  std::string content_type;
  bool disposition = false;
  while (!block.empty()) {
    size_t eol = block.find("\r\n");
    std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Malformed("a part header without a colon");
    std::string_view header = Trim(line.substr(0, colon)), value = Trim(line.substr(colon + 1));
    if (EqualsIgnoreCase(header, "content-disposition")) {
      if (!EqualsIgnoreCase(Trim(value.substr(0, value.find(';'))), "form-data"))
        return Malformed("a part that is not form-data");
      disposition = true;
      name = HeaderParam(value, "name");
      filename = HeaderParam(value, "filename");
    } else if (EqualsIgnoreCase(header, "content-type")) {
      content_type = std::string(value);
    }
  }
  if (!disposition || !name) return Malformed("a part without a form-data name");
  buf_.erase(0, used);
  *progressed = true;
  if (EqualsIgnoreCase(*name, file_field_)) {
    file_seen_ = true;
    state_ = State::kFile;
    return cb_.on_file ? cb_.on_file(FormFile{*name, filename, content_type}) : Status::Ok();
  }
  field_ = FormField{*name, ""};
  state_ = State::kField;
  return Status::Ok();
}

Status FormDataReader::FieldBody(bool* progressed) {
  size_t at = buf_.find(delimiter_);
  size_t take = at != std::string::npos            ? at
                : buf_.size() >= delimiter_.size() ? buf_.size() - (delimiter_.size() - 1)
                                                   : 0;
  if (take > 0) {
    CK_RETURN_IF_ERROR(Count(take));
    field_.value.append(buf_, 0, take);
  }
  if (at == std::string::npos) {
    buf_.erase(0, take);
    return Status::Ok();
  }
  buf_.erase(0, at + delimiter_.size());
  state_ = State::kAfterDelimiter;
  *progressed = true;
  return cb_.on_field ? cb_.on_field(std::move(field_)) : Status::Ok();
}

Status FormDataReader::FileBody(bool* progressed) {
  size_t at = buf_.find(delimiter_);
  size_t take = at != std::string::npos            ? at
                : buf_.size() >= delimiter_.size() ? buf_.size() - (delimiter_.size() - 1)
                                                   : 0;
  if (take > 0 && cb_.on_data) CK_RETURN_IF_ERROR(cb_.on_data(std::string_view(buf_.data(), take)));
  if (at == std::string::npos) {
    buf_.erase(0, take);
    return Status::Ok();
  }
  buf_.clear();  // what follows the file is ignored
  state_ = State::kAfterFile;
  *progressed = true;
  return Status::Ok();
}

Status FormDataReader::Finish() {
  if (state_ == State::kAfterFile) return Status::Ok();
  if (state_ == State::kEnd && !file_seen_) return Status(Code::kNotFound, "multipart/form-data: no file part");
  return Malformed("the body ended before its closing boundary");
}

}  // namespace ck::wire
