package dev.tether.checker.utils;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import java.util.Set;

/**
 * Answers "is this test code?" from the tree alone: a method annotated as a JUnit 4 or 5 test,
 * set-up or tear-down (by simple name), or any code of a class whose name ends with {@code Test},
 * {@code Tests} or {@code IT}.
 */
public final class TestCode {
  private TestCode() {}

  /** Annotations of test methods and of their set-up and tear-down, by simple name. */
  private static final Set<String> TEST_ANNOTATIONS =
      Set.of(
          "Test",
          "ParameterizedTest",
          "RepeatedTest",
          "TestFactory",
          "TestTemplate",
          "BeforeEach",
          "AfterEach",
          "BeforeAll",
          "AfterAll",
          "Before",
          "After",
          "BeforeClass",
          "AfterClass");

  /** Whether the code at {@code path} is in a test method or a test class. */
  public static boolean contains(TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree method && isTestMethod(method)) {
        return true;
      }
      if (leaf instanceof ClassTree type && isTestClassName(type.getSimpleName().toString())) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code method} is annotated as a test, set-up or tear-down. */
  public static boolean isTestMethod(MethodTree method) {
    for (AnnotationTree annotation : method.getModifiers().getAnnotations()) {
      String name = annotation.getAnnotationType().toString();
      if (TEST_ANNOTATIONS.contains(name.substring(name.lastIndexOf('.') + 1))) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code name} is the name of a test class. */
  public static boolean isTestClassName(String name) {
    return name.endsWith("Test") || name.endsWith("Tests") || name.endsWith("IT");
  }
}
