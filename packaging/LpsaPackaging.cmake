# SPDX-License-Identifier: MIT
# LpsaPackaging.cmake — what the Debian packages hold and say about
# themselves, included at the end of the top-level CMakeLists.txt once every
# install rule exists. packaging/build.sh makes the .deb files from an
# install tree with dpkg-deb; packaging/README.md explains why and how.
#
# One package per install component, each with its own version:
#   lpsa              (component lpsa)        the host: top-level project()
#   lpsa-dev          (component dev)         the SDK: top-level project()
#   lpsa-conformance  (component conformance) LPSA_CONFORMANCE_VERSION
#   lpsa-driver-NAME  (component NAME)        project(VERSION) of plugins/NAME
# Each package's description, changelog (and lintian overrides, maintainer
# scripts) live in packaging/<package>/; one copyright file covers all.
# The list of packages with their versions and fixed control fields is
# written to <build>/packaging/packages for packaging/build.sh.

set(LPSA_PACKAGING_DIR ${CMAKE_SOURCE_DIR}/packaging)

# ---- the packages ----------------------------------------------------------

set(LPSA_PACKAGE_COMPONENTS lpsa dev conformance)
set(LPSA_PACKAGE_NAME_lpsa lpsa)
set(LPSA_PACKAGE_VERSION_lpsa ${PROJECT_VERSION})
set(LPSA_PACKAGE_NAME_dev lpsa-dev)
set(LPSA_PACKAGE_VERSION_dev ${PROJECT_VERSION})
set(LPSA_PACKAGE_NAME_conformance lpsa-conformance)
file(STRINGS ${CMAKE_SOURCE_DIR}/sdk/conformance/include/lpsa/conformance.h
  conf_version REGEX "^#define LPSA_CONFORMANCE_VERSION ")
string(REGEX REPLACE ".*\"(.*)\".*" "\\1" LPSA_CONFORMANCE_VERSION
  "${conf_version}")
set(LPSA_PACKAGE_VERSION_conformance ${LPSA_CONFORMANCE_VERSION})

# The drivers: plugins/NAME folders that define a target NAME and have a
# packaging/lpsa-driver-NAME folder (a driver without one is built but not
# packaged; packaging/build.sh fails on it).
file(GLOB lpsa_plugin_dirs LIST_DIRECTORIES true ${CMAKE_SOURCE_DIR}/plugins/*)
foreach(dir ${lpsa_plugin_dirs})
  get_filename_component(name ${dir} NAME)
  if(NOT EXISTS ${dir}/CMakeLists.txt OR NOT TARGET ${name})
    continue()
  endif()
  if(NOT IS_DIRECTORY ${LPSA_PACKAGING_DIR}/lpsa-driver-${name})
    message(WARNING "plugins/${name} has no packaging/lpsa-driver-${name}/ "
      "(description, changelog): it gets no Debian package; see "
      "packaging/README.md, \"Adding a driver package\"")
    continue()
  endif()
  get_directory_property(version DIRECTORY ${dir} DEFINITION PROJECT_VERSION)
  if(NOT version)
    message(FATAL_ERROR "plugins/${name}: give project(... VERSION x.y.z); "
      "the driver's package takes its version from there")
  endif()
  list(APPEND LPSA_PACKAGE_COMPONENTS ${name})
  set(LPSA_PACKAGE_NAME_${name} lpsa-driver-${name})
  set(LPSA_PACKAGE_VERSION_${name} ${version})
endforeach()

# ---- per package: description, copyright, changelog, overrides ------------

# gzip -9n (no name, no time stamp: the same bytes on every build).
function(lpsa_gzip src dst)
  get_filename_component(dir ${dst} DIRECTORY)
  file(MAKE_DIRECTORY ${dir})
  execute_process(COMMAND gzip -9nc ${src} OUTPUT_FILE ${dst}
    RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "gzip ${src} failed")
  endif()
  set_property(DIRECTORY ${CMAKE_SOURCE_DIR} APPEND PROPERTY
    CMAKE_CONFIGURE_DEPENDS ${src})
endfunction()

foreach(comp ${LPSA_PACKAGE_COMPONENTS})
  set(package ${LPSA_PACKAGE_NAME_${comp}})
  set(version ${LPSA_PACKAGE_VERSION_${comp}})
  set(src ${LPSA_PACKAGING_DIR}/${package})
  # The changelog's latest entry names the version being packaged (a
  # warning, so a version bump never stops an ordinary build; build.sh
  # fails on any warning).
  file(STRINGS ${src}/changelog head LIMIT_COUNT 1)
  if(NOT head MATCHES "^${package} \\(${version}\\) ")
    message(WARNING "packaging/${package}/changelog begins with "
      "\"${head}\", but the package's version is ${version}; add an entry "
      "for ${version} on top")
  endif()
  set(doc ${CMAKE_INSTALL_DATADIR}/doc/${package})
  lpsa_gzip(${src}/changelog ${CMAKE_BINARY_DIR}/packaging/${package}/changelog.gz)
  install(FILES ${CMAKE_BINARY_DIR}/packaging/${package}/changelog.gz
    ${LPSA_PACKAGING_DIR}/copyright DESTINATION ${doc} COMPONENT ${comp})
  if(EXISTS ${src}/lintian-overrides)
    install(FILES ${src}/lintian-overrides
      DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
      RENAME ${package} COMPONENT ${comp})
  endif()
endforeach()

# ---- control fields ---------------------------------------------------------
# Beside these, build.sh adds Architecture, Maintainer, Installed-Size, the
# library dependencies dpkg-shlibdeps finds, and the Description.

set(LPSA_FIELDS_lpsa
  "Section: admin"
  # The maintainer scripts fall back on adduser without systemd-sysusers.
  "Depends: adduser"
  "Suggests: lpsa-driver-connectwise | lpsa-driver-autotask"
  "Provides: lpsa-abi-${LPSA_ABI_MAJOR}, lpsa-driver-abi (= ${LPSA_ABI_VERSION})")
set(LPSA_FIELDS_dev
  "Section: devel"
  # The CMake package names the conformance library and runner.
  "Depends: lpsa-conformance (= ${LPSA_CONFORMANCE_VERSION})"
  "Recommends: cmake, pkg-config, libjson-c-dev")
set(LPSA_FIELDS_conformance "Section: devel")

set(manifest "")
foreach(comp ${LPSA_PACKAGE_COMPONENTS})
  if(DEFINED LPSA_FIELDS_${comp})
    set(fields "${LPSA_FIELDS_${comp}}")
  else()
    # A driver loads into any host of the ABI major it was built for, from
    # the ABI minor it was built for on.
    set(fields "Section: admin"
      "Depends: lpsa-abi-${LPSA_ABI_MAJOR}, lpsa-driver-abi (>= ${LPSA_ABI_VERSION})")
  endif()
  list(JOIN fields "^" fields)
  string(APPEND manifest
    "${comp} ${LPSA_PACKAGE_NAME_${comp}} ${LPSA_PACKAGE_VERSION_${comp}} ${fields}\n")
endforeach()
file(WRITE ${CMAKE_BINARY_DIR}/packaging/packages "${manifest}")
