// Only Tether's .mvn/jvm.config, as the README says: this scenario has its own sources.
evaluate(new File(itSources, 'support.groovy')).prepareMigrations(binding.variables)
return true
