// glibc malloc settings for the long-running server (`claret serve`): no heap trimming on every burst of frees.
#pragma once

namespace claret::app {

// Call once at the start of `serve`, before any thread starts. No effect with another C library.
void tune_malloc_for_server();

}  // namespace claret::app
