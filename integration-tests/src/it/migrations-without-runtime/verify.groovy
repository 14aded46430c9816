def ds = evaluate(new File(itSources, 'support.groovy'))
def runs = ds.invocations(basedir)
ds.require(runs.size() == 1, "expected 1 Maven invocation, found ${runs.size()}")
ds.assertNotMigratedWithoutRuntime(binding.variables, runs[0])
return true
