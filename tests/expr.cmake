# Expression compiler/evaluator and function registry tests.
add_executable(test_expr tests/expr/test_expr.c tests/expr/test_agg.c tests/expr/harness.c)
target_link_libraries(test_expr PRIVATE eddy_engine)
add_test(NAME expr COMMAND test_expr)

# The evaluator's shortcuts (expr_impl.h SH_*) against its general path.
add_executable(test_expr_shapes tests/expr/test_expr_shapes.c tests/expr/harness.c)
target_link_libraries(test_expr_shapes PRIVATE eddy_engine)
add_test(NAME expr_shapes COMMAND test_expr_shapes)

# HOUR, COUNT_CHAR, SPLIT_INDEX, REGEXP_EXTRACT and the registry's prepare() hook.
add_executable(test_fn_extract tests/expr/test_fn_extract.c tests/expr/harness.c)
target_link_libraries(test_fn_extract PRIVATE eddy_engine)
add_test(NAME fn_extract COMMAND test_fn_extract)
