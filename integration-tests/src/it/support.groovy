// What the scenarios' prebuild.groovy and verify.groovy scripts share. They load it with
//   evaluate(new File(itSources, 'support.groovy'))
// which returns the class below. Nothing here names a check: the checks are the samples'
// <Name>Bad.java files, checked against the checker jar's BugChecker services file.

import java.util.zip.ZipFile

class Downstream {
  static final String PACKAGE_DIR = 'src/main/java/dev/tether/samples'

  /** A compiler diagnostic as maven-compiler-plugin logs it: [LEVEL] /path/File.java:[line,col] [Check] message */
  static final FINDING = ~/^\[(WARNING|ERROR)\] (\S+\/(\w+)\.java):\[(\d+),(\d+)\] \[(\w+)\] (.*)$/

  /** A top-level type declaration (column 0), where @SuppressWarnings goes. */
  static final TOP_LEVEL_TYPE =
      ~/(?m)^(?=(?:(?:public|protected|private|abstract|final|sealed|non-sealed|static|strictfp)\s+)*(?:class|interface|enum|record|@interface)\s)/

  /**
   * Makes the scenario in {@code basedir} a project with one instance of each anti-pattern: the
   * samples (every <Name>Bad.java, <Name>Good.java and any helper), plus <Name>Suppressed.java, the
   * bad sample under @SuppressWarnings("<Name>"); Tether's .mvn/jvm.config, as the README says; and
   * the discovered checks with the flags that name them (tether-checks.txt, off.properties,
   * patch.properties). Returns the checks.
   */
  static List<String> prepare(Map vars) {
    File basedir = vars.basedir as File
    File samples = new File(vars.samplesDir as String)
    List<String> checks = samples.listFiles()*.name.findAll { it.endsWith('Bad.java') }
        .collect { it - 'Bad.java' }.sort()
    require(!checks.isEmpty(), "no <Name>Bad.java sample in $samples")
    List<String> inJar = checksInJar(vars)
    require(inJar.toSet() == checks.toSet(),
        "the checker jar's checks $inJar and the samples' <Name>Bad.java files $checks differ")

    File pkg = new File(basedir, PACKAGE_DIR)
    pkg.deleteDir()
    pkg.mkdirs()
    samples.listFiles().findAll { it.name.endsWith('.java') }.each {
      new File(pkg, it.name).bytes = it.bytes
    }
    checks.each { check ->
      String bad = new File(samples, "${check}Bad.java").getText('UTF-8')
      String suppressed = bad.replaceAll(/\b${check}Bad\b/, "${check}Suppressed")
      require((suppressed =~ TOP_LEVEL_TYPE).find(), "no top-level type declaration in ${check}Bad.java")
      suppressed = suppressed.replaceAll(TOP_LEVEL_TYPE, "@SuppressWarnings(\"${check}\")\n")
      new File(pkg, "${check}Suppressed.java").setText(suppressed, 'UTF-8')
    }

    File mvn = new File(basedir, '.mvn')
    mvn.mkdirs()
    new File(mvn, 'jvm.config').bytes = new File(vars.jvmConfig as String).bytes

    new File(basedir, 'tether-checks.txt').text = checks.join('\n') + '\n'
    new File(basedir, 'off.properties').text =
        'errorprone.flags=' + checks.collect { "-Xep:${it}:OFF" }.join(' ') + '\n'
    new File(basedir, 'patch.properties').text =
        "errorprone.flags=-XepPatchChecks:${checks.join(',')} -XepPatchLocation:IN_PLACE\n"
    println "Tether checks: $checks"
    return checks
  }

  /** The simple names in tether-checker's META-INF/services BugChecker file, as installed in it-repo. */
  static List<String> checksInJar(Map vars) {
    String version = vars.tetherVersion
    File jar = new File(vars.localRepositoryPath as File,
        "dev/tether/tether-checker/$version/tether-checker-${version}.jar")
    require(jar.isFile(), "no $jar: did invoker:install run?")
    new ZipFile(jar).withCloseable { zip ->
      def entry = zip.getEntry('META-INF/services/com.google.errorprone.bugpatterns.BugChecker')
      require(entry != null, "$jar has no BugChecker services file")
      zip.getInputStream(entry).getText('UTF-8').readLines()*.trim()
          .findAll { it && !it.startsWith('#') }
          .collect { it.substring(it.lastIndexOf('.') + 1) }
          .sort()
    }
  }

  static List<String> checks(File basedir) {
    new File(basedir, 'tether-checks.txt').readLines().findAll { it }
  }

  /** The log of each Maven invocation of this scenario, in order (showVersion starts each one). */
  static List<String> invocations(File basedir) {
    String log = new File(basedir, 'build.log').getText('UTF-8').replaceAll(/\u001B\[[0-9;]*m/, '')
    log.split(/(?m)^(?=Apache Maven \d)/).findAll { it.startsWith('Apache Maven') }
  }

  /**
   * The findings of {@code checks} in one invocation's log, each once: level, path, file (the class
   * name), line, column, check, text (the message with its continuation lines, such as "Did you mean").
   */
  static List<Map> findings(String log, List<String> checks) {
    List<Map> all = []
    Map current = null
    log.eachLine { String line ->
      def m = line =~ FINDING
      if (m.matches()) {
        current = [level: m.group(1), path: m.group(2), file: m.group(3), line: m.group(4) as int,
                   column: m.group(5) as int, check: m.group(6), text: m.group(7)]
        all << current
      } else if (current != null && !line.startsWith('[')) {
        current.text += '\n' + line
      } else {
        current = null
      }
    }
    all.findAll { it.check in checks }.unique { [it.level, it.path, it.line, it.column, it.check] }
  }

  static boolean hasFix(Map finding) {
    finding.text.contains('Did you mean')
  }

  static String describe(Map f) {
    "[${f.level}] ${f.file}.java:[${f.line},${f.column}] [${f.check}]"
  }

  /**
   * (a), (c) and (e): the build succeeded; every check warned, with file, line and name, in its
   * <Name>Bad.java; no Tether check warned in a <Name>Good.java, and @SuppressWarnings("<Name>")
   * silences <Name> in <Name>Suppressed.java (other checks may still warn on that copy of bad code).
   */
  static void assertWarnsForEveryCheck(String log, List<String> checks) {
    require(log.contains('BUILD SUCCESS'), 'the downstream build failed')
    List<Map> findings = findings(log, checks)
    checks.each { check ->
      List<Map> hits = findings.findAll {
        it.level == 'WARNING' && it.check == check && it.file == "${check}Bad"
      }
      require(!hits.isEmpty(), "no '[WARNING] …/${check}Bad.java:[line,col] [${check}]' in the log")
      println "OK ${check}: ${hits.collect { describe(it) }}"
    }
    // A <Name>Suppressed.java copy may still warn with the other checks its bad code triggers.
    List<Map> stray = findings.findAll {
      !it.file.endsWith('Bad') && !it.file.endsWith('Suppressed')
    }
    require(stray.isEmpty(), "Tether reported outside the *Bad samples: ${stray.collect { describe(it) }}")
    List<Map> unsuppressed = findings.findAll { it.file == "${it.check}Suppressed".toString() }
    require(unsuppressed.isEmpty(), "@SuppressWarnings did not silence: ${unsuppressed.collect { describe(it) }}")
    println "OK no Tether finding in the *Good and *Suppressed (@SuppressWarnings) files"
  }

  /** A README.md snippet: a marker comment, then a fenced block (in a list item, indented). */
  static final README_SNIPPET =
      ~/(?m)^([ \t]*)<!-- readme-(pom|java):(\S+) -->\n[ \t]*```\w*\n((?:.*\n)*?)[ \t]*```$/

  /**
   * The snippets of README.md marked with {@code <!-- readme-pom:<place> -->} or {@code <!--
   * readme-java:<path> -->}, by kind and name, each exactly as the fenced block shows it (the list
   * item's indentation removed, as Markdown does).
   */
  static Map<String, Map<String, String>> readmeSnippets(File readme) {
    Map<String, Map<String, String>> snippets = [pom: [:], java: [:]]
    def m = readme.getText('UTF-8') =~ README_SNIPPET
    m.each { all, String indent, String kind, String name, String body ->
      String text = body.readLines().collect { line ->
        require(line.isBlank() || line.startsWith(indent), "README.md, snippet $name: a line is not indented like its block")
        line.isBlank() ? '' : line.substring(indent.length())
      }.join('\n') + '\n'
      require(!snippets[kind].containsKey(name), "README.md has two snippets readme-$kind:$name")
      snippets[kind][name] = text
    }
    return snippets
  }

  /**
   * Makes {@code basedir} the project a new user gets by following README.md's "Use Tether in your
   * Maven build" literally: its pom.xml (a bare project with a placeholder comment {@code <!--
   * README: <place> -->} for each snippet) gets the README's Maven snippets, verbatim, in
   * properties, dependencies, build plugins and profiles; .mvn/jvm.config is Tether's; the README's
   * Java snippets are its sources, with {@code extraSources} (sample files) next to them.
   */
  static void prepareReadmeProject(Map vars, List<String> extraSources) {
    File basedir = vars.basedir as File
    File readme = new File(vars.readme as String)
    def snippets = readmeSnippets(readme)
    List<String> places = ['properties', 'dependencies', 'plugins', 'profiles']
    require(snippets.pom.keySet() == places.toSet(),
        "README.md should mark the Maven snippets ${places} with <!-- readme-pom:<place> -->, found ${snippets.pom.keySet()}")
    def version = snippets.pom.properties =~ /<tether\.version>([^<]+)<\/tether\.version>/
    require(version.find() && version.group(1) == vars.tetherVersion,
        "README.md's <tether.version> is not this build's version ${vars.tetherVersion}")

    File pom = new File(basedir, 'pom.xml')
    String text = pom.getText('UTF-8')
    places.each { place ->
      String placeholder = "<!-- README: ${place} -->"
      require(text.contains(placeholder), "pom.xml has no placeholder $placeholder")
      text = text.replace(placeholder, snippets.pom[place])
    }
    pom.setText(text, 'UTF-8')

    new File(basedir, 'src').deleteDir()
    require(!snippets.java.isEmpty(), 'README.md marks no Java snippet with <!-- readme-java:<path> -->')
    snippets.java.each { path, source ->
      File file = new File(basedir, "src/main/java/$path")
      file.parentFile.mkdirs()
      file.setText(source, 'UTF-8')
    }
    File pkg = new File(basedir, PACKAGE_DIR)
    pkg.mkdirs()
    extraSources.each { name ->
      new File(pkg, name).bytes = new File(vars.samplesDir as String, name).bytes
    }

    File mvn = new File(basedir, '.mvn')
    mvn.mkdirs()
    new File(mvn, 'jvm.config').bytes = new File(vars.jvmConfig as String).bytes
    List<String> checks = checksInJar(vars)
    new File(basedir, 'tether-checks.txt').text = checks.join('\n') + '\n'
    println "README project: ${snippets.pom.keySet()} snippets in pom.xml, sources ${snippets.java.keySet() + extraSources}"
  }

  /**
   * The README project's two builds: {@code clean compile} warns on the bad sample and on nothing
   * else (the README's Java snippets are clean); then {@code compile} on the up-to-date module
   * compiles nothing and prints no warning, as the README's "No warnings?" says.
   */
  static void assertReadmeBuilds(List<String> runs, List<String> checks) {
    require(runs.size() == 2, "expected 2 Maven invocations, found ${runs.size()}")
    def (first, again) = runs
    require(first.contains('BUILD SUCCESS'), 'the README project does not build')
    List<Map> reported = findings(first, checks)
    List<Map> bad = reported.findAll { it.level == 'WARNING' && it.file.endsWith('Bad') }
    require(!bad.isEmpty(), 'Tether reported nothing on the bad sample: is it running?')
    bad.each { println "OK ${describe(it)}" }
    List<Map> stray = reported - bad
    require(stray.isEmpty(), "Tether reported on the README's code: ${stray.collect { describe(it) }}")
    require(again.contains('BUILD SUCCESS'), 'the second build failed')
    require(again.contains('Nothing to compile'), 'the second build recompiled an up-to-date module')
    require(findings(again, checks).isEmpty(), 'an up-to-date module printed findings')
    println 'OK an up-to-date module: "Nothing to compile", no warning'
  }

  static void require(boolean ok, String message) {
    if (!ok) {
      throw new AssertionError(message)
    }
  }
}

return Downstream
