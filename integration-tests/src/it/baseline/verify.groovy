evaluate(new File(itSources, 'support.groovy')).verifyBaseline(binding.variables)
return true
