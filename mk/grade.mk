# grade.mk: the grader (grader/README.md).

grade: $(BUILD)/burrow ## grade this tree with the grader's built-in tests (build/burrow grade -h for more)
	@$(BUILD)/burrow grade .

.PHONY: grade
