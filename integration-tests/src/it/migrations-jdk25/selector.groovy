// Run only where the JDK 25 is (the integration-tests enforcer execution prints why when not).
return new File(jdk25Home, 'bin/java').canExecute()
