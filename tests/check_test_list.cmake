# Checks that ctest runs exactly the test cases Catch lists: one ctest entry (label "catch") per
# test case of `grenzfunk_tests --list-test-names-only`, with the same names. catch_discover_tests
# turns each listed name into a CMake list element, so a name with ';' becomes two entries whose
# specs match nothing (and Catch exits 0 on "No test cases matched" unless --warn NoTests).
#
#   cmake -DTEST_EXECUTABLE=<grenzfunk_tests> -DCTEST_COMMAND=<ctest> -DBUILD_DIR=<top build dir>
#         -P check_test_list.cmake
cmake_minimum_required(VERSION 3.20)

foreach(var TEST_EXECUTABLE CTEST_COMMAND BUILD_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_test_list: -D${var}=... is required")
  endif()
endforeach()

# A name with the characters that CMake lists treat specially (';' separates, '[' ']' group)
# replaced by placeholders, so that every name stays one list element.
function(encode_name text out)
  string(REPLACE ";" "<semicolon>" text "${text}")
  string(REPLACE "[" "<lbracket>" text "${text}")
  string(REPLACE "]" "<rbracket>" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# The lines of `text`, encoded, as a CMake list.
function(lines_to_list text out)
  encode_name("${text}" text)
  string(REPLACE "\r" "" text "${text}")
  string(REGEX MATCHALL "[^\n]+" lines "${text}")
  set(${out} "${lines}" PARENT_SCOPE)
endfunction()

# Catch's list. Its exit status is the number of tests listed (modulo 256), so it says nothing;
# a crash shows as no output or a message that is not an exit status.
execute_process(
  COMMAND "${TEST_EXECUTABLE}" --list-test-names-only
  OUTPUT_VARIABLE catch_out
  ERROR_VARIABLE catch_err
  RESULT_VARIABLE catch_rc)
if(NOT catch_rc MATCHES "^[0-9]+$")
  message(FATAL_ERROR "check_test_list: ${TEST_EXECUTABLE} failed: ${catch_rc}\n${catch_err}")
endif()
lines_to_list("${catch_out}" catch_names)
list(LENGTH catch_names catch_count)
if(catch_count EQUAL 0)
  message(FATAL_ERROR "check_test_list: ${TEST_EXECUTABLE} lists no test cases\n${catch_err}")
endif()

# ctest's entries for it, as ctest itself reads them from the build tree.
execute_process(
  COMMAND "${CTEST_COMMAND}" --show-only=json-v1 -L "^catch$"
  WORKING_DIRECTORY "${BUILD_DIR}"
  OUTPUT_VARIABLE ctest_json
  ERROR_VARIABLE ctest_err
  RESULT_VARIABLE ctest_rc)
if(NOT ctest_rc EQUAL 0)
  message(FATAL_ERROR "check_test_list: ctest --show-only failed (${ctest_rc}):\n${ctest_err}")
endif()
string(JSON ctest_count ERROR_VARIABLE json_err LENGTH "${ctest_json}" tests)
if(json_err)
  message(FATAL_ERROR "check_test_list: cannot read ctest's test list: ${json_err}")
endif()
set(ctest_names "")
if(ctest_count GREATER 0)
  math(EXPR last "${ctest_count} - 1")
  foreach(i RANGE ${last})
    string(JSON name GET "${ctest_json}" tests ${i} name)
    encode_name("${name}" name)
    list(APPEND ctest_names "${name}")
  endforeach()
endif()

# Both ways round, so that the report names what differs.
set(only_catch "${catch_names}")
set(only_ctest "${ctest_names}")
if(ctest_names)
  list(REMOVE_ITEM only_catch ${ctest_names})
endif()
if(catch_names)
  list(REMOVE_ITEM only_ctest ${catch_names})
endif()
list(REMOVE_DUPLICATES catch_names)
list(LENGTH catch_names catch_unique)

if(NOT catch_count EQUAL ctest_count OR only_catch OR only_ctest OR NOT catch_unique EQUAL
                                                                      catch_count)
  set(report "")
  foreach(name IN LISTS only_catch)
    string(APPEND report "\n  listed by Catch, no ctest entry: '${name}'")
  endforeach()
  foreach(name IN LISTS only_ctest)
    string(APPEND report "\n  ctest entry that is no Catch test case: '${name}'")
  endforeach()
  message(FATAL_ERROR
          "check_test_list: FAILED: ${TEST_EXECUTABLE} lists ${catch_count} test cases "
          "(${catch_unique} distinct names), ctest has ${ctest_count} entries labelled 'catch' "
          "(test names must not hold ';'; shown with ';' '[' ']' as <semicolon> <lbracket> <rbracket>):${report}")
endif()
message(STATUS "check_test_list: ${catch_count} Catch test cases = ${ctest_count} ctest entries")
