# Test fixture: (re)builds an index from scratch with the real dossier-index.
#   cmake -DINDEXER=... -DDB=... -DCONFIG=... -DINPUT=... [-DOPTIONAL=ON] -P build_index.cmake
# With OPTIONAL, a missing INPUT (../shared absent) removes DB and succeeds: the tests skip.
file(REMOVE_RECURSE ${DB})
if(NOT EXISTS ${INPUT})
  if(OPTIONAL)
    message(STATUS "skipped: ${INPUT} absent")
    return()
  endif()
  message(FATAL_ERROR "${INPUT} absent")
endif()
execute_process(COMMAND ${INDEXER} --db ${DB} --config ${CONFIG} --quiet ${INPUT}
                RESULT_VARIABLE status ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  file(REMOVE_RECURSE ${DB})
  message(FATAL_ERROR "dossier-index failed (${status}): ${err}")
endif()
