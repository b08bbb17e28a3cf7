# Compile options for Dossier's own targets: warnings, -Werror, sanitizers. Never global, so
# that a parent project and third-party code keep their own flags.

# dossier_target_options(<target>): apply warnings, optional -Werror and sanitizers.
function(dossier_target_options target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(
      ${target}
      PRIVATE -Wall
              -Wextra
              -Wpedantic
              -Wshadow
              -Wnon-virtual-dtor
              -Wold-style-cast
              -Wcast-align
              -Woverloaded-virtual
              -Wconversion
              -Wsign-conversion
              -Wdouble-promotion
              -Wformat=2
              -Wimplicit-fallthrough)
    if(DOSSIER_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
    if(DOSSIER_SANITIZE)
      target_compile_options(${target} PRIVATE -fsanitize=${DOSSIER_SANITIZE}
                                               -fno-sanitize-recover=all -fno-omit-frame-pointer)
      target_link_options(${target} PRIVATE -fsanitize=${DOSSIER_SANITIZE})
    endif()
  endif()
endfunction()
