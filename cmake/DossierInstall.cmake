# Install rules: library, headers, CMake package (find_package(Dossier) -> dossier::dossier),
# pkg-config file and the two binaries.
include(CMakePackageConfigHelpers)

set(DOSSIER_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/Dossier)

install(
  TARGETS dossier
  EXPORT DossierTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${DOSSIER_PUBLIC_HEADERS} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/dossier)

install(
  EXPORT DossierTargets
  NAMESPACE dossier::
  DESTINATION ${DOSSIER_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/DossierConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/DossierConfig.cmake
                              INSTALL_DESTINATION ${DOSSIER_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/DossierConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/DossierConfig.cmake
              ${PROJECT_BINARY_DIR}/DossierConfigVersion.cmake DESTINATION ${DOSSIER_CMAKE_DIR})

# pkg-config: absolute or relative install dirs both work.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(DOSSIER_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  set(DOSSIER_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(DOSSIER_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(DOSSIER_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
if(BUILD_SHARED_LIBS)
  set(DOSSIER_PC_CFLAGS "")
else()
  set(DOSSIER_PC_CFLAGS " -DDOSSIER_STATIC_DEFINE")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/dossier.pc.in ${PROJECT_BINARY_DIR}/dossier.pc.gen @ONLY)
# ${prefix} is resolved at install time so `cmake --install --prefix` gives a correct file.
install(CODE "
  file(READ \"${PROJECT_BINARY_DIR}/dossier.pc.gen\" pc)
  string(REPLACE \"%DOSSIER_INSTALL_PREFIX%\" \"\${CMAKE_INSTALL_PREFIX}\" pc \"\${pc}\")
  file(WRITE \"${PROJECT_BINARY_DIR}/dossier.pc\" \"\${pc}\")")
install(FILES ${PROJECT_BINARY_DIR}/dossier.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

if(DOSSIER_BUILD_TOOLS)
  install(TARGETS dossier-index dossier-search RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
