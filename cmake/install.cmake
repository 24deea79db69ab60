# `cmake --install build [--prefix P]`: the program, the library with its headers
# and a CMake package (find_package(careabm) gives careabm::careabm_lib), the Python
# packages (careabm when built, careabm_analysis) and the shipped scenarios.
include(CMakePackageConfigHelpers)

set(CAREABM_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/careabm)

install(TARGETS careabm RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS careabm_lib EXPORT careabmTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
# The library's headers; cli/ is the program's own.
install(DIRECTORY model/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/careabm FILES_MATCHING PATTERN "*.h"
        PATTERN cli EXCLUDE)
install(EXPORT careabmTargets NAMESPACE careabm:: DESTINATION ${CAREABM_INSTALL_CMAKEDIR})

configure_package_config_file(cmake/careabmConfig.cmake.in ${PROJECT_BINARY_DIR}/careabmConfig.cmake
                              INSTALL_DESTINATION ${CAREABM_INSTALL_CMAKEDIR}
                              PATH_VARS CAREABM_INSTALL_PYTHONDIR)
# 0.x: a new minor version may change the library's interface.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/careabmConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/careabmConfig.cmake ${PROJECT_BINARY_DIR}/careabmConfigVersion.cmake
        DESTINATION ${CAREABM_INSTALL_CMAKEDIR})

install(DIRECTORY analysis/careabm_analysis DESTINATION ${CAREABM_INSTALL_PYTHONDIR}
        PATTERN __pycache__ EXCLUDE)
install(DIRECTORY scenarios/ DESTINATION ${CMAKE_INSTALL_DATADIR}/careabm/scenarios)
install(FILES LICENSE README.md CHANGELOG.md CITATION.cff DESTINATION ${CMAKE_INSTALL_DOCDIR})
