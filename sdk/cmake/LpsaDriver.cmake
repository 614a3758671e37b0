# SPDX-License-Identifier: MIT
# LpsaDriver.cmake — CMake helpers for lpsa drivers, installed with the SDK
# (find_package(LpsaSDK) includes it) and used by the tree's own template.
#
#   lpsa_add_driver(<name> SOURCES <file>... [VERSION <x.y.z>]
#                   [OUTPUT_DIRECTORY <dir>] [NO_INSTALL])
#     A driver is a MODULE named exactly <name>.so (no "lib" prefix), built
#     with hidden visibility so that only lpsa_driver_entry is exported (also
#     from static libraries linked in), never linked against host symbols
#     (--no-undefined), and installed into <prefix>/lib/lpsa/drivers, where
#     an installed lpsa-host looks by default. VERSION becomes the
#     LPSA_DRIVER_VERSION macro for the descriptor's .version, so the
#     package and the driver report the same release.
#
#   lpsa_add_conformance_test(<test> DRIVER <target> CONFIG <file>
#                             [LEVEL 0|1|2] [TEST_LINE <id>]
#                             [WORKING_DIRECTORY <dir>] [ARGS <arg>...])
#     A ctest entry running lpsa-conformance on the driver target.
include_guard(GLOBAL)

if(NOT DEFINED LPSA_DRIVER_SUBDIR)
  set(LPSA_DRIVER_SUBDIR "lib/lpsa/drivers")
endif()

function(lpsa_add_driver name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "NO_INSTALL"
    "VERSION;OUTPUT_DIRECTORY" "SOURCES")
  if(NOT name MATCHES "^[a-z0-9_-]+$")
    message(FATAL_ERROR "lpsa_add_driver(${name}): a driver name is lower "
      "case letters, digits, '_' and '-' (it is the file name and the "
      "descriptor's .name)")
  endif()
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "lpsa_add_driver(${name}): give SOURCES")
  endif()
  add_library(${name} MODULE ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE lpsa::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX "" SUFFIX ".so" OUTPUT_NAME ${name}
    C_STANDARD 11 C_STANDARD_REQUIRED ON
    C_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  if(arg_VERSION)
    target_compile_definitions(${name} PRIVATE
      LPSA_DRIVER_VERSION="${arg_VERSION}")
  endif()
  if(arg_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES
      LIBRARY_OUTPUT_DIRECTORY ${arg_OUTPUT_DIRECTORY})
  elseif(DEFINED LPSA_DRIVER_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES
      LIBRARY_OUTPUT_DIRECTORY ${LPSA_DRIVER_OUTPUT_DIR})
  endif()
  if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang" AND NOT APPLE)
    target_link_options(${name} PRIVATE "LINKER:--exclude-libs,ALL")
    # Sanitizer runtimes live in the executable, so their symbols are
    # undefined in a sanitized driver.
    if(NOT LPSA_SANITIZE AND NOT CMAKE_C_FLAGS MATCHES "-fsanitize")
      target_link_options(${name} PRIVATE "LINKER:--no-undefined")
    endif()
  endif()
  if(NOT arg_NO_INSTALL AND (NOT DEFINED LPSA_DRIVER_INSTALL OR LPSA_DRIVER_INSTALL))
    install(TARGETS ${name} LIBRARY DESTINATION ${LPSA_DRIVER_SUBDIR}
      COMPONENT ${name})
  endif()
endfunction()

function(lpsa_add_conformance_test test)
  cmake_parse_arguments(PARSE_ARGV 1 arg ""
    "DRIVER;CONFIG;LEVEL;TEST_LINE;WORKING_DIRECTORY" "ARGS")
  if(NOT arg_DRIVER OR NOT arg_CONFIG)
    message(FATAL_ERROR "lpsa_add_conformance_test(${test}): give DRIVER "
      "<target> and CONFIG <file>")
  endif()
  if(TARGET lpsa-conformance)
    set(runner $<TARGET_FILE:lpsa-conformance>)
  elseif(LpsaSDK_CONFORMANCE)
    set(runner ${LpsaSDK_CONFORMANCE})
  else()
    message(FATAL_ERROR "lpsa_add_conformance_test: lpsa-conformance not "
      "found; find_package(LpsaSDK) first")
  endif()
  if(NOT DEFINED arg_LEVEL)
    set(arg_LEVEL 0)
  endif()
  set(cmd ${runner} --driver $<TARGET_FILE:${arg_DRIVER}>
    --config ${arg_CONFIG} --level ${arg_LEVEL})
  if(arg_TEST_LINE)
    list(APPEND cmd --test-line ${arg_TEST_LINE})
  endif()
  if(arg_WORKING_DIRECTORY)
    add_test(NAME ${test} COMMAND ${cmd} ${arg_ARGS}
      WORKING_DIRECTORY ${arg_WORKING_DIRECTORY})
  else()
    add_test(NAME ${test} COMMAND ${cmd} ${arg_ARGS})
  endif()
endfunction()
