# Parser tests: lexer unit test, parser API test, golden AST/error files,
# and the fuzz corpus replay (plus a libFuzzer binary when EDDY_FUZZ=ON).
set(EDDY_PT ${CMAKE_CURRENT_LIST_DIR}/parser)

add_executable(test_parser_lexer ${EDDY_PT}/test_lexer.c)
target_include_directories(test_parser_lexer PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../parser)
target_link_libraries(test_parser_lexer PRIVATE eddy_parser)
add_test(NAME parser_lexer COMMAND test_parser_lexer)

add_executable(test_parser_api ${EDDY_PT}/test_parser_api.c)
target_link_libraries(test_parser_api PRIVATE eddy_parser)
add_test(NAME parser_api COMMAND test_parser_api)

add_executable(test_parser_golden ${EDDY_PT}/golden.c)
target_link_libraries(test_parser_golden PRIVATE eddy_parser)
add_test(NAME parser_golden COMMAND test_parser_golden ${EDDY_PT}/cases)

add_executable(fuzz_parser_replay ${EDDY_PT}/fuzz_parser.c ${EDDY_PT}/fuzz_replay.c)
target_link_libraries(fuzz_parser_replay PRIVATE eddy_parser)
add_test(NAME parser_fuzz_corpus COMMAND fuzz_parser_replay ${EDDY_PT}/corpus)

if(EDDY_FUZZ AND CMAKE_C_COMPILER_ID MATCHES "Clang")
  add_executable(fuzz_parser ${EDDY_PT}/fuzz_parser.c)
  target_compile_options(fuzz_parser PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_parser PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_parser PRIVATE eddy_parser)
endif()
