def ds = evaluate(new File(itSources, 'support.groovy'))
def runs = ds.invocations(basedir)
ds.require(runs.size() == 3, "expected 3 Maven invocations, found ${runs.size()}")
ds.assertSilentUnlessNamed(runs[0])
ds.assertMigrated(binding.variables, runs[1], runs[2])
return true
