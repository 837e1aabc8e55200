# Expression compiler/evaluator and function registry tests.
add_executable(test_expr tests/expr/test_expr.c tests/expr/test_agg.c tests/expr/harness.c)
target_link_libraries(test_expr PRIVATE eddy_engine)
add_test(NAME expr COMMAND test_expr)
