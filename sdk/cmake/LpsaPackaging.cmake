# LpsaPackaging.cmake — Debian packages (CPack DEB), included at the end of
# the top-level CMakeLists.txt, once every install rule exists.
#
#   cpack -G DEB        (in the build directory)
#
# makes one package per component, each released on its own:
#   lpsa_<host version>_<arch>.deb           the host, the SDK (headers,
#       CMake package, pkg-config), lpsa-conformance and its library, the
#       template and example configuration; Provides lpsa-driver-abi (= 1.0)
#   lpsa-driver-<name>_<driver version>_<arch>.deb   one per plugins/<name>
#       whose install rule says COMPONENT <name>; its version is the
#       project(VERSION) of plugins/<name>/CMakeLists.txt; it Depends on
#       lpsa and on lpsa-driver-abi within the ABI major it was built for.
# Library dependencies (libjson-c5, libcurl4, ...) come from dpkg-shlibdeps.

# The drivers: plugins/<name> folders that define a target <name>.
set(LPSA_PACKAGE_DRIVERS "")
file(GLOB lpsa_plugin_dirs LIST_DIRECTORIES true ${CMAKE_SOURCE_DIR}/plugins/*)
foreach(dir ${lpsa_plugin_dirs})
  get_filename_component(name ${dir} NAME)
  if(EXISTS ${dir}/CMakeLists.txt AND TARGET ${name})
    get_directory_property(version DIRECTORY ${dir} DEFINITION PROJECT_VERSION)
    if(NOT version)
      message(FATAL_ERROR "plugins/${name}: give project(... VERSION x.y.z); "
        "the driver's package takes its version from there")
    endif()
    list(APPEND LPSA_PACKAGE_DRIVERS ${name})
    set(LPSA_PACKAGE_VERSION_${name} ${version})
  endif()
endforeach()

math(EXPR LPSA_ABI_NEXT_MAJOR "${LPSA_ABI_MAJOR} + 1")

set(CPACK_PACKAGE_NAME lpsa)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "lpsa")
set(CPACK_PACKAGE_CONTACT "lpsa developers <lpsa-dev@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL lpsa ${LPSA_PACKAGE_DRIVERS})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Only binary packages; the source tree holds build directories.
set(CPACK_SOURCE_IGNORE_FILES "/build.*/" "/\\\\.git/")

set(CPACK_DEBIAN_LPSA_PACKAGE_NAME lpsa)
set(CPACK_DEBIAN_LPSA_PACKAGE_PROVIDES
  "lpsa-driver-abi (= ${LPSA_ABI_VERSION}), lpsa-driver-abi-${LPSA_ABI_MAJOR}")
set(CPACK_COMPONENT_LPSA_DESCRIPTION
  "keeps LastPass seat counts and PSA billing in step
 lpsa-host syncs the seat counts of an MSP's LastPass managed companies into
 the PSA's billing (agreement additions, contract services) through PSA
 drivers, installed separately (lpsa-driver-*). Also holds the driver SDK
 (headers, CMake package LpsaSDK, lpsa-sdk.pc, template) and the driver
 conformance suite (lpsa-conformance, liblpsa-conformance).")

foreach(name ${LPSA_PACKAGE_DRIVERS})
  string(TOUPPER ${name} up)
  set(CPACK_DEBIAN_${up}_PACKAGE_NAME lpsa-driver-${name})
  # Loadable by any host of the driver ABI major it was built for.
  set(CPACK_DEBIAN_${up}_PACKAGE_DEPENDS
    "lpsa, lpsa-driver-abi (>= ${LPSA_ABI_VERSION}), lpsa-driver-abi (<< ${LPSA_ABI_NEXT_MAJOR})")
  set(CPACK_COMPONENT_${up}_DESCRIPTION
    "lpsa driver for ${name}
 The ${name} PSA driver for lpsa-host (driver ABI ${LPSA_ABI_VERSION}),
 installed into /usr/${LPSA_DRIVER_SUBDIR}.")
endforeach()

# CPack's DEB generator has one version for every package. Each driver's
# own comes from the project file below: CPack sets CPACK_DEB_PACKAGE_COMPONENT
# before it prepares each package, and the watch sets the version for it.
set(LPSA_CPACK_VERSIONS "")
foreach(name ${LPSA_PACKAGE_DRIVERS})
  string(APPEND LPSA_CPACK_VERSIONS
    "set(LPSA_PACKAGE_VERSION_${name} \"${LPSA_PACKAGE_VERSION_${name}}\")\n")
endforeach()
configure_file(${CMAKE_CURRENT_LIST_DIR}/LpsaCPackProject.cmake.in
  ${CMAKE_BINARY_DIR}/LpsaCPackProject.cmake @ONLY)
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_BINARY_DIR}/LpsaCPackProject.cmake)

include(CPack)
