# SPDX-License-Identifier: MIT
# LpsaSDKInstall.cmake — install rules of the SDK (included by
# sdk/CMakeLists.txt): the conformance runner and library, the CMake
# package (LpsaSDKConfig.cmake, its version file, the exported targets
# lpsa::sdk and lpsa::conformance, LpsaDriver.cmake), the pkg-config files,
# the driver template (component `dev`, the lpsa-dev package), the runner
# and its library (component `conformance`, lpsa-conformance) and the
# example configuration (component `lpsa`, the host's package).
include(CMakePackageConfigHelpers)

set(LPSA_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/LpsaSDK)

set_target_properties(lpsa_sdk PROPERTIES EXPORT_NAME sdk)
install(TARGETS lpsa_sdk lpsa_conformance EXPORT LpsaSDKTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT conformance
  NAMELINK_COMPONENT dev)
install(TARGETS lpsa-conformance RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  COMPONENT conformance)
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/conformance/include/lpsa/conformance.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/lpsa COMPONENT dev)
install(EXPORT LpsaSDKTargets NAMESPACE lpsa:: DESTINATION ${LPSA_CMAKE_DIR}
  COMPONENT dev)

configure_package_config_file(
  ${CMAKE_CURRENT_SOURCE_DIR}/cmake/LpsaSDKConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/LpsaSDKConfig.cmake
  INSTALL_DESTINATION ${LPSA_CMAKE_DIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_BINDIR)
# The package's version is the driver ABI's: a driver asking for
# find_package(LpsaSDK 1) builds against any 1.x SDK; one that needs a
# 1.2 service asks for 1.2 and is refused by a 1.1 SDK.
write_basic_package_version_file(
  ${CMAKE_CURRENT_BINARY_DIR}/LpsaSDKConfigVersion.cmake
  VERSION ${LPSA_ABI_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/LpsaSDKConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/LpsaSDKConfigVersion.cmake
  ${CMAKE_CURRENT_SOURCE_DIR}/cmake/LpsaDriver.cmake
  DESTINATION ${LPSA_CMAKE_DIR} COMPONENT dev)

# pkg-config: relative to the .pc file, so the same files work in any
# prefix (a temporary one, /usr/local, or /usr from the Debian package).
file(RELATIVE_PATH LPSA_PC_PREFIX
  ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig
  ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" LPSA_PC_PREFIX "${LPSA_PC_PREFIX}")
foreach(pc lpsa-sdk lpsa-conformance)
  configure_file(${CMAKE_CURRENT_SOURCE_DIR}/cmake/${pc}.pc.in
    ${CMAKE_CURRENT_BINARY_DIR}/${pc}.pc @ONLY)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/${pc}.pc
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
endforeach()

# The host looks for drivers here by default; the host package owns it.
install(DIRECTORY DESTINATION ${LPSA_DRIVER_SUBDIR} COMPONENT lpsa)

# The template, to copy: share/lpsa/template.
install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/template/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/lpsa/template COMPONENT dev
  PATTERN "build*" EXCLUDE)

# Example configuration: conf/*.example only (the rest of conf/ is not
# ours to ship). CONFIGURE_DEPENDS: a new example is picked up by the
# next build without re-running cmake by hand.
file(GLOB LPSA_CONF_EXAMPLES CONFIGURE_DEPENDS
  ${CMAKE_SOURCE_DIR}/conf/*.example)
if(LPSA_CONF_EXAMPLES)
  install(FILES ${LPSA_CONF_EXAMPLES} DESTINATION ${CMAKE_INSTALL_DATADIR}/lpsa
    COMPONENT lpsa)
endif()
