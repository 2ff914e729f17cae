#ifndef DICTDB_CLZ4_SHIM_H
#define DICTDB_CLZ4_SHIM_H

#include <lz4.h>
#include <lz4frame.h>

/// LZ4F_VERSION is a macro; expose it as a function Swift can call.
static inline unsigned dictdb_lz4f_version(void) { return LZ4F_VERSION; }

#endif
