# Helpers that give every jisr target the same flags.

set(JISR_WARNINGS -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor
    -Wcast-align -Wunused -Woverloaded-virtual -Wimplicit-fallthrough)
# GCC 12 reports bogus -Wrestrict on std::string operations at -O2/-O3 (GCC bug
# 105329); it is turned off there.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND JISR_WARNINGS -Wno-restrict)
endif()
if(JISR_WERROR)
  list(APPEND JISR_WARNINGS -Werror)
endif()

if(JISR_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=all)
endif()

# jisr_library(NAME SOURCES... DEPS...): one static library per module.
function(jisr_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(${name} PRIVATE ${JISR_WARNINGS})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# The private PostgreSQL the tests run against (scripts/test-postgres.sh, run
# by the CTest fixture "jisr_postgres" defined in src/db/CMakeLists.txt). When
# the server binaries are missing, tests use SQLite only.
find_program(JISR_PG_CTL pg_ctl
  PATHS /usr/lib/postgresql/17/bin /usr/lib/postgresql/16/bin /usr/lib/postgresql/15/bin)
if(JISR_PG_CTL)
  set(JISR_TEST_POSTGRES ON)
  set(JISR_TEST_POSTGRES_STATE ${PROJECT_BINARY_DIR}/test-postgres)
else()
  set(JISR_TEST_POSTGRES OFF)
  message(STATUS "pg_ctl not found: tests run on SQLite only (run scripts/install-deps.sh)")
endif()

# jisr_test(NAME SOURCES... DEPS... [LABELS ...]): a GoogleTest binary whose
# tests CTest lists one by one. Unit tests carry the label "unit". Tests see
# the source tree in $JISR_SOURCE_DIR (one variable only: gtest_discover_tests
# cannot pass a list of environment variables).
function(jisr_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${JISR_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  # Every test may use the test PostgreSQL (db/test_stores.h finds it through
  # JISR_TEST_POSTGRES_STATE); CTest starts it first and stops it after.
  set(postgres_properties)
  if(JISR_TEST_POSTGRES)
    target_compile_definitions(${name} PRIVATE JISR_TEST_POSTGRES=1
                               JISR_TEST_POSTGRES_STATE="${JISR_TEST_POSTGRES_STATE}")
    set(postgres_properties FIXTURES_REQUIRED jisr_postgres)
  endif()
  gtest_discover_tests(${name}
    PROPERTIES LABELS "${ARG_LABELS}"
    ENVIRONMENT "JISR_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
    ${postgres_properties}
    DISCOVERY_TIMEOUT 60)
endfunction()
