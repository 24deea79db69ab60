// careabm's version: the project version, with "+g<commit>" ("-dirty" for
// uncommitted changes) when built from a git work tree. Written at build time
// by cmake/version.cmake, so a rebuild after a new commit shows it.
#pragma once

namespace careabm {

const char* version();

}  // namespace careabm
