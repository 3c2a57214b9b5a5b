#include "services/kms/master_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/codec.h"
#include "crypto/hash.h"

namespace ck::services::kms {

namespace {
std::string Stripped(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}
}  // namespace

Result<std::string> LoadMasterKey(const char* env_value, const std::string& data_dir, bool memory) {
  if (env_value && *env_value) {
    auto key = Base64Decode(Stripped(env_value));
    if (!key || key->size() != 32)
      return InvalidArgument("CROSSKEY_MASTER_KEY must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)");
    return std::move(*key);
  }
  if (memory) return crypto::RandomBytes(32);
  std::string path = data_dir + "/master.key";
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    auto key = Base64Decode(Stripped(text));
    if (!key || key->size() != 32) return DataLoss(path + " does not hold a base64 32-byte key");
    return std::move(*key);
  }
  std::string key = crypto::RandomBytes(32);
  std::string text = Base64Encode(key) + "\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return Internal("cannot create " + path + ": " + std::strerror(errno));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Internal("cannot write " + path);
  return key;
}

}  // namespace ck::services::kms
