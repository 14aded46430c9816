// Modules a and b and the sources of each step (steps/<n>/{a,b}): see ../support.groovy.
evaluate(new File(itSources, 'support.groovy')).prepareBaseline(binding.variables)
return true
