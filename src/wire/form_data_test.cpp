#include "wire/form_data.h"

#include <gtest/gtest.h>

namespace ck::wire {
namespace {

struct Parsed {
  std::vector<FormField> fields;
  std::optional<FormFile> file;
  std::string data;
};

FormDataReader Reader(Parsed* p, size_t max = 1024, const std::string& boundary = "XyZ") {
  return FormDataReader(boundary, "file", max,
                        {.on_field =
                             [p](FormField f) {
                               p->fields.push_back(std::move(f));
                               return Status::Ok();
                             },
                         .on_file =
                             [p](const FormFile& f) {
                               p->file = f;
                               return Status::Ok();
                             },
                         .on_data =
                             [p](std::string_view d) {
                               p->data.append(d);
                               return Status::Ok();
                             }});
}

const std::string kBody =
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"key\"\r\n\r\n"
    "uploads/${filename}\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"x-amz-meta-a\"\r\n\r\n"
    "line1\r\nline2\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"File\"; filename=\"a;b.txt\"\r\n"
    "Content-Type: text/plain\r\n\r\n"
    "hello\r\n--XyY\r\n--Xy\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"submit\"\r\n\r\n"
    "Upload\r\n"
    "--XyZ--\r\n";

void ExpectParsed(const Parsed& p) {
  ASSERT_EQ(p.fields.size(), 2u);
  EXPECT_EQ(p.fields[0].name, "key");
  EXPECT_EQ(p.fields[0].value, "uploads/${filename}");
  EXPECT_EQ(p.fields[1].value, "line1\r\nline2");
  ASSERT_TRUE(p.file);
  EXPECT_EQ(p.file->name, "File");
  EXPECT_EQ(p.file->filename, "a;b.txt");
  EXPECT_EQ(p.file->content_type, "text/plain");
  EXPECT_EQ(p.data, "hello\r\n--XyY\r\n--Xy");
}

TEST(FormDataTest, Boundary) {
  EXPECT_EQ(FormDataBoundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(FormDataBoundary("Multipart/Form-Data;boundary=\"a b;c\""), "a b;c");
  EXPECT_EQ(FormDataBoundary("multipart/form-data"), std::nullopt);
  EXPECT_EQ(FormDataBoundary("text/html; boundary=abc"), std::nullopt);
  EXPECT_EQ(FormDataBoundary("multipart/form-data; boundary=" + std::string(71, 'a')), std::nullopt);
}

TEST(FormDataTest, WholeBody) {
  Parsed p;
  auto r = Reader(&p);
  ASSERT_TRUE(r.Feed(kBody).ok());
  ASSERT_TRUE(r.Finish().ok());
  ExpectParsed(p);
}

// Every split point of the body, and byte by byte: boundaries split across reads.
TEST(FormDataTest, EverySplit) {
  for (size_t cut = 0; cut <= kBody.size(); ++cut) {
    Parsed p;
    auto r = Reader(&p);
    ASSERT_TRUE(r.Feed(kBody.substr(0, cut)).ok()) << cut;
    ASSERT_TRUE(r.Feed(kBody.substr(cut)).ok()) << cut;
    ASSERT_TRUE(r.Finish().ok()) << cut;
    ExpectParsed(p);
  }
  Parsed p;
  auto r = Reader(&p);
  for (char ch : kBody) ASSERT_TRUE(r.Feed(std::string_view(&ch, 1)).ok());
  ASSERT_TRUE(r.Finish().ok());
  ExpectParsed(p);
}

TEST(FormDataTest, PreambleAndFileAsField) {
  Parsed p;
  auto r = Reader(&p);
  std::string body =
      "ignored preamble\r\n--XyZ\r\n"
      "Content-Disposition: form-data; name=\"file\"\r\n\r\n"
      "content\r\n--XyZ--";
  ASSERT_TRUE(r.Feed(body).ok());
  ASSERT_TRUE(r.Finish().ok());
  ASSERT_TRUE(p.file);
  EXPECT_FALSE(p.file->filename);
  EXPECT_EQ(p.data, "content");
}

TEST(FormDataTest, MissingFinalBoundary) {
  Parsed p;
  auto r = Reader(&p);
  ASSERT_TRUE(r.Feed("--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc").ok());
  EXPECT_EQ(r.Finish().code(), Code::kInvalidArgument);
  // A field never closed.
  Parsed q;
  auto r2 = Reader(&q);
  ASSERT_TRUE(r2.Feed("--XyZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nabc").ok());
  EXPECT_EQ(r2.Finish().code(), Code::kInvalidArgument);
}

TEST(FormDataTest, NoFilePart) {
  Parsed p;
  auto r = Reader(&p);
  ASSERT_TRUE(r.Feed("--XyZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk\r\n--XyZ--\r\n").ok());
  EXPECT_EQ(r.Finish().code(), Code::kNotFound);
  EXPECT_EQ(p.fields.size(), 1u);
}

TEST(FormDataTest, Malformed) {
  for (const char* body : {"--XyZ\r\nno colon here\r\n\r\nx\r\n--XyZ--",
                           "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--",
                           "--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--", "--XyZjunk\r\n"}) {
    Parsed p;
    auto r = Reader(&p);
    Status st = r.Feed(body);
    if (st.ok()) st = r.Finish();
    EXPECT_EQ(st.code(), Code::kInvalidArgument) << body;
  }
}

// The fields before the file are capped (headers included), however they are split.
TEST(FormDataTest, OversizedFields) {
  std::string big(200, 'v');
  std::string body = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n" + big + "\r\n--XyZ--";
  Parsed p;
  auto r = Reader(&p, 150);
  EXPECT_EQ(r.Feed(body).code(), Code::kResourceExhausted);
  Parsed q;
  auto r2 = Reader(&q, 150);
  Status st;
  for (char ch : body)
    if (st = r2.Feed(std::string_view(&ch, 1)); !st.ok()) break;
  EXPECT_EQ(st.code(), Code::kResourceExhausted);
  // Endless part headers too.
  Parsed h;
  auto r3 = Reader(&h, 150);
  EXPECT_EQ(r3.Feed("--XyZ\r\nContent-Disposition: form-data; name=\"" + big).code(), Code::kResourceExhausted);
}

// The file's content is not capped and is handed on as it arrives.
TEST(FormDataTest, LargeFileStreams) {
  Parsed p;
  size_t biggest_piece = 0;
  FormDataReader r("b", "file", 100,
                   {.on_field = [](FormField) { return Status::Ok(); },
                    .on_file = [](const FormFile&) { return Status::Ok(); },
                    .on_data =
                        [&](std::string_view d) {
                          biggest_piece = std::max(biggest_piece, d.size());
                          p.data.append(d);
                          return Status::Ok();
                        }});
  ASSERT_TRUE(r.Feed("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n\r\n").ok());
  std::string piece(4096, 'z');
  for (int i = 0; i < 256; ++i) ASSERT_TRUE(r.Feed(piece).ok());
  ASSERT_TRUE(r.Feed("\r\n--b--\r\n").ok());
  ASSERT_TRUE(r.Finish().ok());
  EXPECT_EQ(p.data.size(), 4096u * 256);
  EXPECT_LE(biggest_piece, 4096u + 8);
}

TEST(FormDataTest, CallbackErrorStops) {
  FormDataReader r("b", "file", 1000,
                   {.on_field = [](FormField) { return Status::Ok(); },
                    .on_file = [](const FormFile&) { return PermissionDenied("no"); },
                    .on_data = [](std::string_view) { return Status::Ok(); }});
  EXPECT_EQ(r.Feed("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--b--").code(),
            Code::kPermissionDenied);
}

}  // namespace
}  // namespace ck::wire
