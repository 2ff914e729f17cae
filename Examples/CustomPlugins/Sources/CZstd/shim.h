#ifndef CUSTOM_PLUGINS_CZSTD_SHIM_H
#define CUSTOM_PLUGINS_CZSTD_SHIM_H

#include <zstd.h>

#endif
