# Packaging test: stage-install the build tree, then build and run tests/package twice against the
# staged install, once through find_package(Dossier) and once through pkg-config (dossier.pc).
file(REMOVE_RECURSE ${STAGE_DIR} ${CONSUMER_BUILD})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed (${status}): ${ARGN}\n${out}\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${STAGE_DIR} --config ${CONFIG})

set(flags "")
if(SANITIZE)
  # A consumer of a sanitized libdossier must load the sanitizer runtime itself.
  set(flags "-fsanitize=${SANITIZE}")
endif()

# 1. CMake: find_package(Dossier) -> dossier::dossier.
run(${CMAKE_COMMAND} -S ${CONSUMER_SOURCE} -B ${CONSUMER_BUILD} -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_PREFIX_PATH=${STAGE_DIR}
    "-DCMAKE_CXX_FLAGS=${flags}" "-DCMAKE_EXE_LINKER_FLAGS=${flags}")
run(${CMAKE_COMMAND} --build ${CONSUMER_BUILD})
run(${CONSUMER_BUILD}/dossier-consumer)
message(STATUS "find_package consumer: ${run_output}")

# 2. pkg-config: the flags from dossier.pc are enough to compile and link.
find_program(PKG_CONFIG pkg-config REQUIRED)
file(GLOB pc_file ${STAGE_DIR}/*/pkgconfig/dossier.pc ${STAGE_DIR}/*/*/pkgconfig/dossier.pc)
if(NOT pc_file)
  message(FATAL_ERROR "dossier.pc was not installed under ${STAGE_DIR}")
endif()
get_filename_component(pc_dir ${pc_file} DIRECTORY)
set(ENV{PKG_CONFIG_PATH} ${pc_dir})
if(SHARED)
  run(${PKG_CONFIG} --cflags --libs dossier)
else()
  # A static libdossier needs its private dependencies on the link line too.
  run(${PKG_CONFIG} --static --cflags --libs dossier)
endif()
string(STRIP "${run_output}" pc_flags)
separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
separate_arguments(san UNIX_COMMAND "${flags}")
run(${CXX_COMPILER} -std=c++20 ${san} ${CONSUMER_SOURCE}/consumer.cpp ${pc_flags} -o
    ${CONSUMER_BUILD}/dossier-consumer-pc)
get_filename_component(lib_dir ${pc_dir} DIRECTORY)
set(ENV{LD_LIBRARY_PATH} ${lib_dir})
run(${CONSUMER_BUILD}/dossier-consumer-pc)
message(STATUS "pkg-config consumer: ${run_output}")
