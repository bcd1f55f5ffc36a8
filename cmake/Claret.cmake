# Helpers shared by every module's CMakeLists.txt.

# claret_library(NAME claret_x SOURCES a.cpp b.cpp DEPS claret_base ...)
# Every module is a static library whose include root is src/, so code includes "base/result.hpp".
function(claret_library)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;DEPS" ${ARGN})
  add_library(${ARG_NAME} STATIC ${ARG_SOURCES})
  target_include_directories(${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${ARG_NAME} PUBLIC ${ARG_DEPS})
endfunction()

# claret_unit_tests(NAME claret_x_tests SOURCES x_test.cpp DEPS claret_x LABELS unit)
# Builds a GoogleTest binary and registers each test with ctest. CLARET_SHARED points at ../shared
# (the corpus lives in ${CLARET_SHARED}/corpus).
function(claret_unit_tests)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT CLARET_TESTS)
    return()
  endif()
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(${ARG_NAME} PRIVATE
    CLARET_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared"
    CLARET_BINARY_DIR="${PROJECT_BINARY_DIR}")
  # A hung unit test fails in two minutes instead of ctest's default ten (one hang cost CI ten minutes).
  gtest_discover_tests(${ARG_NAME} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT 120 DISCOVERY_TIMEOUT 60)
endfunction()
