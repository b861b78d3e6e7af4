"""Files the tests make because no tool installed here writes them."""
