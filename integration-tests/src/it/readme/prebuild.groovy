// README.md's Maven snippets into pom.xml, its Java snippets and one bad sample as sources, and
// Tether's .mvn/jvm.config: see ../support.groovy.
evaluate(new File(itSources, 'support.groovy')).prepareReadmeProject(binding.variables, ['SwallowedInterruptBad.java'])
return true
