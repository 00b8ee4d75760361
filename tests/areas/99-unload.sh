# Area "unload": at the end, every module unloads and nothing leaked.

test_every_module_unloads_without_leaks() {
	scst_load
	scst_unload_all
	[ -z "$(scst_loaded_modules)" ] || fail "still loaded: $(scst_loaded_modules)"
	kmemleak_check
}
