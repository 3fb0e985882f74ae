# Debian packages: two from one build, by install component.
#
#   meterscope-server  (component server)  meterscoped, its systemd unit,
#                      /etc/default/meterscoped, the `meterscope` system user
#   meterscope         (component app)     the desktop app, meterscope-cli,
#                      desktop entry, icons
#
# cmake --build --preset release --target package   (packaging/build-deb.sh)
# writes them to <build>/packages/. tests/packaging/check_packages.sh checks them.

add_subdirectory(${CMAKE_CURRENT_LIST_DIR} ${PROJECT_BINARY_DIR}/packaging)

set(METERSCOPE_PACKAGE_MAINTAINER "Meterscope developers <dev@meterscope.invalid>"
    CACHE STRING "Maintainer field of the Debian packages")

set(CPACK_GENERATOR DEB)
# Quotes and newlines in the descriptions reach the control file as written.
set(CPACK_VERBATIM_VARIABLES ON)
set(CPACK_PACKAGE_NAME meterscope)
set(CPACK_PACKAGE_VENDOR "Meterscope")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${METERSCOPE_PACKAGE_MAINTAINER}")
# Each package's synopsis is the first line of its component description
# below; a project-wide summary would be put in front of it.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
set(CPACK_OUTPUT_FILE_PREFIX ${PROJECT_BINARY_DIR}/packages)
set(CPACK_STRIP_FILES ON)

# Everything installs below /usr except /etc/default/meterscoped, whose
# absolute destination only lands inside the package when CPack installs
# with DESTDIR.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)

set(CPACK_DEB_COMPONENT_INSTALL ON)
if(TARGET meterscope-cli)
    set(CPACK_COMPONENTS_ALL server app)
else()
    set(CPACK_COMPONENTS_ALL server)
endif()

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${METERSCOPE_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# --- meterscope-server -------------------------------------------------------
set(CPACK_DEBIAN_SERVER_PACKAGE_NAME meterscope-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_SECTION database)
# meterscoped runs initdb and postgres from /usr/lib/postgresql/<version>/bin
# for its embedded database; the maintainer scripts create a system user.
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "postgresql-15 | postgresql, adduser")
# The first line of a description is the package's synopsis.
set(CPACK_COMPONENT_SERVER_DESCRIPTION
    "meter readings server: CSV import into PostgreSQL, gRPC streaming
meterscoped imports CSV files of meter readings (time, value) into
PostgreSQL, a TimescaleDB hypertable when the extension is installed, and
streams them to the Meterscope desktop app and command line over gRPC.
By default it keeps its data in a private PostgreSQL cluster in
/var/lib/meterscope; it can use any external PostgreSQL instead.
This package runs it as the systemd service meterscoped.service; its
settings are in /etc/default/meterscoped.")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_LIST_DIR}/deb/server/conffiles
    ${CMAKE_CURRENT_LIST_DIR}/deb/server/postinst
    ${CMAKE_CURRENT_LIST_DIR}/deb/server/prerm
    ${CMAKE_CURRENT_LIST_DIR}/deb/server/postrm)

# --- meterscope (the app) ----------------------------------------------------
set(CPACK_DEBIAN_APP_PACKAGE_NAME meterscope)
set(CPACK_DEBIAN_APP_PACKAGE_SECTION science)
# The app starts meterscoped as its own local server unless it is told to
# connect to a remote one.
set(CPACK_DEBIAN_APP_PACKAGE_RECOMMENDS meterscope-server)
set(CPACK_COMPONENT_APP_DESCRIPTION
    "desktop app and command line to chart and export meter readings
The Meterscope desktop app imports CSV files of meter readings (by file
picker, drag-and-drop or \"Open with\"), draws them as a chart with a live
tail and shows them as JSON. meterscope-cli imports, exports, lists and
tails series from the command line. Both talk gRPC to a Meterscope server:
a local one the app starts itself, or a remote one.")

include(CPack)
