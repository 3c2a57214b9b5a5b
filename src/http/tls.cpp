#include "http/tls.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <boost/asio/ssl/context.hpp>

namespace ck::http {

namespace asio = boost::asio;

namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using NamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES, GENERAL_NAMES_free>>;

// The reasons OpenSSL queued for the last failure, oldest first; clears the queue.
std::string OpenSslError() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    std::array<char, 256> buf{};
    ERR_error_string_n(e, buf.data(), buf.size());
    if (!out.empty()) out += "; ";
    out += buf.data();
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) return InvalidArgument("cannot read " + path);
  return s.str();
}

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

// "CN=localhost, DNS:localhost, IP Address:127.0.0.1, expires 2027-05-01".
std::string Describe(X509* cert) {
  std::string out;
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253) >= 0) out = BioText(bio.get());
  NamesPtr names(static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (names) {
    BioPtr sans(BIO_new(BIO_s_mem()));
    STACK_OF(CONF_VALUE)* values = i2v_GENERAL_NAMES(nullptr, names.get(), nullptr);
    X509V3_EXT_val_prn(sans.get(), values, 0, 0);
    sk_CONF_VALUE_pop_free(values, X509V3_conf_free);
    std::string text = BioText(sans.get());
    if (!text.empty()) out += (out.empty() ? "" : ", ") + text;
  }
  std::tm tm{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) == 1) {
    std::array<char, 16> day{};
    std::strftime(day.data(), day.size(), "%Y-%m-%d", &tm);
    out += std::string(", expires ") + day.data();
  }
  return out;
}

Status AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
    return InvalidArgument(std::string("certificate extension ") + OBJ_nid2sn(nid) + " '" + value +
                           "': " + OpenSslError());
  return Status::Ok();
}

}  // namespace

Result<TlsCredentials> ReadTlsFiles(const std::string& certificate_file, const std::string& private_key_file) {
  TlsCredentials c;
  CK_ASSIGN_OR_RETURN(c.certificate_pem, ReadWholeFile(certificate_file));
  CK_ASSIGN_OR_RETURN(c.private_key_pem, ReadWholeFile(private_key_file));
  return c;
}

Result<TlsCredentials> GenerateSelfSigned(const std::vector<std::string>& dns_names,
                                          const std::vector<std::string>& ip_addresses, std::chrono::hours validity) {
  if (dns_names.empty()) return InvalidArgument("a self-signed certificate needs a DNS name");
  ERR_clear_error();
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return Internal("generating a P-256 key: " + OpenSslError());
  X509Ptr cert(X509_new());
  if (!cert) return Internal("X509_new: " + OpenSslError());
  // A random positive 128-bit serial number, so that a client that saw an
  // earlier certificate of this name never confuses the two.
  std::array<unsigned char, 16> serial{};
  if (RAND_bytes(serial.data(), static_cast<int>(serial.size())) != 1) return Internal("RAND_bytes: " + OpenSslError());
  serial[0] &= 0x7f;
  serial[0] |= 0x01;
  BnPtr bn(BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr));
  X509_NAME* name = X509_get_subject_name(cert.get());
  const auto* org = reinterpret_cast<const unsigned char*>("crosskey (self-signed)");
  const auto* cn = reinterpret_cast<const unsigned char*>(dns_names.front().c_str());
  if (!bn || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())) ||
      !X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) ||
      !X509_gmtime_adj(X509_getm_notAfter(cert.get()),
                       static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(validity).count())) ||
      X509_set_pubkey(cert.get(), key.get()) != 1 ||
      X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, org, -1, -1, 0) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, cn, -1, -1, 0) != 1 ||
      X509_set_issuer_name(cert.get(), name) != 1) {
    return Internal("building the certificate: " + OpenSslError());
  }
  std::string alt_names;
  for (const auto& d : dns_names) alt_names += (alt_names.empty() ? "DNS:" : ",DNS:") + d;
  for (const auto& ip : ip_addresses) alt_names += ",IP:" + ip;
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, cert.get(), cert.get(), nullptr, nullptr, 0);
  // What strict verifiers (RFC 5280, OpenSSL's X509_STRICT) expect of a
  // server certificate; the subject key id comes before the authority key
  // id, which copies it.
  CK_RETURN_IF_ERROR(AddExtension(cert.get(), &v3, NID_basic_constraints, "critical,CA:FALSE"));
  CK_RETURN_IF_ERROR(AddExtension(cert.get(), &v3, NID_key_usage, "critical,digitalSignature"));
  CK_RETURN_IF_ERROR(AddExtension(cert.get(), &v3, NID_ext_key_usage, "serverAuth"));
  CK_RETURN_IF_ERROR(AddExtension(cert.get(), &v3, NID_subject_alt_name, alt_names));
  CK_RETURN_IF_ERROR(AddExtension(cert.get(), &v3, NID_subject_key_identifier, "hash"));
  CK_RETURN_IF_ERROR(AddExtension(cert.get(), &v3, NID_authority_key_identifier, "keyid:always"));
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
    return Internal("signing the certificate: " + OpenSslError());

  TlsCredentials out;
  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  if (!cert_bio || !key_bio || PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1 ||
      PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Internal("writing PEM: " + OpenSslError());
  }
  out.certificate_pem = BioText(cert_bio.get());
  out.private_key_pem = BioText(key_bio.get());
  return out;
}

TlsContext::TlsContext() = default;
TlsContext::~TlsContext() = default;

asio::ssl::context& TlsContext::native() { return *ctx_; }

Result<std::shared_ptr<TlsContext>> TlsContext::Create(const TlsCredentials& credentials) {
  ERR_clear_error();
  std::shared_ptr<TlsContext> out(new TlsContext());
  out->ctx_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  SSL_CTX* native = out->ctx_->native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1)
    return Internal("cannot require TLS 1.2: " + OpenSslError());
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
  // TLS 1.2: forward-secret AEAD suites only (TLS 1.3's are all of that kind).
  if (SSL_CTX_set_cipher_list(native, "ECDHE+AESGCM:ECDHE+CHACHA20") != 1)
    return Internal("cannot set the TLS 1.2 cipher suites: " + OpenSslError());
  out->ctx_->set_verify_mode(asio::ssl::verify_none);  // no client certificates

  boost::system::error_code ec;
  out->ctx_->use_certificate_chain(asio::buffer(credentials.certificate_pem), ec);
  if (ec) return InvalidArgument("the certificate does not parse as PEM: " + ec.message());
  BioPtr key_bio(
      BIO_new_mem_buf(credentials.private_key_pem.data(), static_cast<int>(credentials.private_key_pem.size())));
  PkeyPtr key(key_bio ? PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) return InvalidArgument("the private key does not parse as PEM: " + OpenSslError());
  if (SSL_CTX_use_PrivateKey(native, key.get()) != 1 || SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    return InvalidArgument("the private key does not belong to the certificate");
  }
  if (X509* cert = SSL_CTX_get0_certificate(native)) out->description_ = Describe(cert);
  return out;
}

}  // namespace ck::http
