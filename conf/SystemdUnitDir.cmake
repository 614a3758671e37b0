# SPDX-License-Identifier: MIT
# lpsa_systemd_unit_dir(OUT PKG_CONFIG): where systemd wants system units,
# relative to the install prefix: systemd's pkg-config variable
# systemdsystemunitdir, asked with its prefixes (prefix, root_prefix) set
# to a placeholder so that the answer can be put under any prefix (staged
# and `cmake --install --prefix` installs). "lib/systemd/system" when
# pkg-config or systemd's .pc file is missing, or names a directory outside
# its prefixes.
function(lpsa_systemd_unit_dir out pkg_config)
  set(dir "lib/systemd/system")
  set(how "the default: no systemd.pc")
  if(pkg_config)
    execute_process(
      COMMAND ${pkg_config} --define-variable=prefix=/LPSA_PREFIX
              --define-variable=root_prefix=/LPSA_PREFIX
              --define-variable=rootprefix=/LPSA_PREFIX
              --variable=systemdsystemunitdir systemd
      OUTPUT_VARIABLE answer RESULT_VARIABLE rc ERROR_QUIET
      OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(rc EQUAL 0 AND answer MATCHES "^/LPSA_PREFIX/+(.+[^/])/*$")
      set(dir "${CMAKE_MATCH_1}")
      set(how "pkg-config systemd")
    elseif(rc EQUAL 0 AND answer)
      set(how "the default: systemd.pc names ${answer}, outside its prefix")
    endif()
  endif()
  set(${out} "${dir}" PARENT_SCOPE)
  set(${out}_HOW "${how}" PARENT_SCOPE)
endfunction()
