// glibc's malloc.h (malloc_trim, mallinfo2), which the Glibc module does not include.
// Used by KubeRuntime's HeapTrimmer; part of the C library, so nothing extra is linked.
#pragma once
#include <malloc.h>
