# Connector tests: JSON decoder (unit + differential vs jansson + fuzz corpus
# replay), WebSocket frame parser, HTTP parser, and the Node.js WebSocket
# conformance test against a running `eddy serve`.
foreach(t json_decode ws_frame http_parse serve_host)
  add_executable(test_${t} tests/connectors/test_${t}.c)
  target_link_libraries(test_${t} PRIVATE eddy_connectors PkgConfig::JANSSON)
  add_test(NAME connectors_${t} COMMAND test_${t})
endforeach()

# ed_value_json / ed_ts_format (the text of every JSON sink) against printf.
add_executable(test_value_json tests/connectors/test_value_json.c)
target_link_libraries(test_value_json PRIVATE eddy_common m)
add_test(NAME connectors_value_json COMMAND test_value_json)

# Fuzz target: always built as a corpus replay driver; a libFuzzer binary too
# when EDDY_FUZZ=ON (clang).
add_executable(fuzz_json_decode_replay tests/connectors/fuzz_json_decode.c tests/connectors/fuzz_replay_main.c)
target_link_libraries(fuzz_json_decode_replay PRIVATE eddy_connectors)
add_test(NAME connectors_fuzz_json_decode_corpus
         COMMAND fuzz_json_decode_replay ${CMAKE_SOURCE_DIR}/tests/connectors/corpus)
if(EDDY_FUZZ)
  add_executable(fuzz_json_decode tests/connectors/fuzz_json_decode.c)
  target_compile_options(fuzz_json_decode PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_json_decode PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_json_decode PRIVATE eddy_connectors)
endif()

find_program(NODE_EXE node)
if(NODE_EXE)
  add_test(NAME connectors_ws_conformance
           COMMAND ${NODE_EXE} ${CMAKE_SOURCE_DIR}/tests/node/ws_conformance.test.js ${CMAKE_BINARY_DIR}/eddy)
  set_tests_properties(connectors_ws_conformance PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120)
endif()
