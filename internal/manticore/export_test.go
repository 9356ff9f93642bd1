package manticore

// SetFirstGroups makes searches ask for n facet groups first (so that tests
// reach the path that asks again for more) and returns the undo.
func SetFirstGroups(n int) func() {
	old := firstGroups
	firstGroups = n
	return func() { firstGroups = old }
}
