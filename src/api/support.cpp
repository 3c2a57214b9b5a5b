#include "api/support.h"

namespace ck::api {
namespace {
template <class V, class S>
void EmptyFields(V&, S&) {}
}  // namespace

CK_DEFINE_FIELDS(Empty, EmptyFields)

}  // namespace ck::api
