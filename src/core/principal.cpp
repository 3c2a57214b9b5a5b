#include "core/principal.h"

namespace ck {

const char* Principal::TypeName() const {
  switch (type) {
    case Type::kRoot: return "Account";
    case Type::kUser: return "User";
    case Type::kAssumedRole: return "AssumedRole";
    case Type::kFederatedUser: return "FederatedUser";
    case Type::kService: return "AWSService";
    case Type::kAnonymous: return "Anonymous";
  }
  return "Anonymous";
}

Principal Principal::Root(const std::string& account) {
  Principal p;
  p.type = Type::kRoot;
  p.account = account;
  p.arn = "arn:aws:iam::" + account + ":root";
  p.user_id = account;
  return p;
}

Principal Principal::Anonymous() {
  Principal p;
  p.type = Type::kAnonymous;
  p.arn = "*";
  p.user_id = "anonymous";
  return p;
}

}  // namespace ck
