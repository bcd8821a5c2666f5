# The course book (issue #8): Markdown in book/src, rendered by book/ into
# build/book. See book/src/running.md for how chapters quote code.

book: ## build the course book into build/book (fails on a broken quote, link or anchor)
	@$(GO) run ./cmd/burrow book build -strict

book-serve: ## serve the course book on http://127.0.0.1:3000 and rebuild it when a chapter or quoted file changes
	@$(GO) run ./cmd/burrow book serve -addr 127.0.0.1:$(or $(BOOK_PORT),3000)

.PHONY: book book-serve
