def ds = evaluate(new File(itSources, 'support.groovy'))
ds.assertReadmeBuilds(ds.invocations(basedir), ds.checks(basedir))
return true
