package dev.tether.checker.utils;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.PackageSymbol;
import com.sun.tools.javac.code.Symtab;
import com.sun.tools.javac.comp.AttrContext;
import com.sun.tools.javac.comp.CompileStates;
import com.sun.tools.javac.comp.CompileStates.CompileState;
import com.sun.tools.javac.comp.Enter;
import com.sun.tools.javac.comp.Env;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.PackageElement;
import org.jspecify.annotations.Nullable;

/**
 * Answers "what else does this compilation say about a declaration?": the tree of a class declared
 * in another source file of the same compilation, and every use of a method that is not public API
 * (package-private, protected, or declared in a class that is not public) in the source files that
 * can see it.
 *
 * <p>Error Prone analyses one file at a time. With {@code -XDcompilePolicy=simple} (what its
 * installation guide and Tether's README prescribe) every file of the compilation is attributed
 * before the first one is analysed, and none is lowered until the last one is: the other files'
 * trees carry symbols and types and can be read. A file that is not attributed yet (other compile
 * policies) or already lowered, and a class that comes from a class file (an incremental build that
 * compiles only some files), cannot be read: the answers then say "unknown", and the checks fall
 * back to what they decide from one file. A method's uses are complete only when every file that
 * can see it is in the compilation; a caller outside it (another module, a subclass in a downstream
 * project) is out of sight, which is why public API is never asked about.
 */
public final class SameCompilation {
  private SameCompilation() {}

  /**
   * The path of the top-level class {@code cls} in its source file, when that file is part of this
   * compilation and attributed but not yet lowered; {@code null} otherwise.
   */
  public static @Nullable TreePath pathOf(ClassSymbol cls, VisitorState state) {
    if (!(cls.owner instanceof PackageSymbol)) {
      return null;
    }
    Env<AttrContext> env = Enter.instance(state.context).getEnv(cls);
    if (env == null || env.toplevel == null || !(env.tree instanceof ClassTree)) {
      return null; // from a class file, or not entered from source
    }
    CompileStates states = CompileStates.instance(state.context);
    if (!states.isDone(env, CompileState.ATTR) || states.isDone(env, CompileState.TRANSTYPES)) {
      return null;
    }
    return new TreePath(new TreePath(env.toplevel), env.tree);
  }

  /**
   * The tree of {@code cls} (a top-level or member class, not a local or anonymous one) when its
   * file is readable in this compilation ({@link #pathOf}); {@code null} otherwise.
   */
  public static @Nullable TreePath pathOfClass(ClassSymbol cls, VisitorState state) {
    ClassSymbol outermost = ASTHelpers.outermostClass(cls);
    TreePath top = outermost == null ? null : pathOf(outermost, state);
    if (top == null || outermost.equals(cls)) {
      return top;
    }
    TreePath[] found = new TreePath[1];
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitClass(ClassTree tree, Void unused) {
        if (found[0] != null) {
          return null;
        }
        if (cls.equals(ASTHelpers.getSymbol(tree))) {
          found[0] = getCurrentPath();
          return null;
        }
        TreePath here = getCurrentPath();
        for (Tree member : tree.getMembers()) {
          if (member instanceof ClassTree && found[0] == null) {
            scan(new TreePath(here, member), null);
          }
        }
        return null; // member classes only: no method bodies, no initializers
      }
    }.scan(top, null);
    return found[0];
  }

  /**
   * Every call of {@code method} and every method reference to it in the source files of this
   * compilation that can see it, when all of them are readable: the files of its package and, for a
   * protected method of a public class, the top-level classes that extend its class. Empty when the
   * answer is unknown: {@code method} is public API (public, and every class around it public), or
   * overrides or implements a method that is, or a file that can see it cannot be read ({@link
   * #pathOf}). A method that overrides others is used wherever they are called: their uses count as
   * its own. Callers outside the compilation (a subclass in a downstream project, reflection) are
   * never seen.
   */
  public static Optional<List<TreePath>> usesOf(MethodSymbol method, VisitorState state) {
    if (!(method.owner instanceof ClassSymbol) || method.isConstructor()) {
      return Optional.empty();
    }
    Set<MethodSymbol> targets = new LinkedHashSet<>();
    targets.add(method);
    targets.addAll(ASTHelpers.findSuperMethods(method, state.getTypes()));
    List<Scope> scopes = new ArrayList<>();
    for (MethodSymbol target : targets) {
      long reach = reach(target);
      if (!(target.owner instanceof ClassSymbol owner) || reach == Flags.PUBLIC) {
        return Optional.empty(); // API: callers outside the compilation
      }
      // Elements.getPackageOf, not ASTHelpers.enclosingPackage: that one changed its signature.
      scopes.add(
          new Scope(owner, state.getElements().getPackageOf(owner), reach == Flags.PROTECTED));
    }
    Index index = INDEX.get(state);
    if (index == null) {
      return Optional.empty();
    }
    List<TreePath> uses = new ArrayList<>();
    for (ClassSymbol cls : index.seeing(scopes, state)) {
      Map<Symbol, List<TreePath>> usesInClass = index.usesIn(cls, state);
      if (usesInClass == null) {
        return Optional.empty(); // a file that can see the method is not readable
      }
      for (MethodSymbol target : targets) {
        uses.addAll(usesInClass.getOrDefault(target, List.of()));
      }
    }
    return Optional.of(uses);
  }

  /**
   * The top-level classes of this compilation's source files in the package of {@code cls} ({@code
   * cls}'s own top-level class included), whether or not their files are readable now ({@link
   * #pathOf} says).
   */
  public static List<ClassSymbol> classesInPackageOf(ClassSymbol cls, VisitorState state) {
    Index index = INDEX.get(state);
    return index == null
        ? List.of()
        : index.inPackage(state.getElements().getPackageOf(cls), state);
  }

  private static final PerCompilation<Index> INDEX = PerCompilation.of(state -> new Index());

  /**
   * What the source files of one compilation hold, found as questions come and kept for the
   * compilation (one compilation runs on one thread): its top-level classes, and per class read,
   * where each method is called or referenced. With {@code -XDcompilePolicy=simple} no tree is
   * lowered before the last file is analysed, so the paths stay valid.
   */
  private static final class Index {
    private @Nullable List<ClassSymbol> sources;
    private @Nullable Map<PackageElement, List<ClassSymbol>> byPackage;
    private final Map<ClassSymbol, List<ClassSymbol>> subclasses = new HashMap<>();
    private final Map<ClassSymbol, Map<Symbol, List<TreePath>>> uses = new HashMap<>();

    List<ClassSymbol> sources(VisitorState state) {
      if (sources == null) {
        Enter enter = Enter.instance(state.context);
        List<ClassSymbol> found = new ArrayList<>();
        for (ClassSymbol cls : Symtab.instance(state.context).getAllClasses()) {
          if (cls.owner instanceof PackageSymbol && enter.getEnv(cls) != null) {
            found.add(cls); // copied first: a subtype test may complete (enter) classes
          }
        }
        sources = found;
      }
      return sources;
    }

    /**
     * The top-level source classes whose code may call a target of one of {@code scopes}: those of
     * its package, and for a protected target of a public class, those that extend its class.
     */
    Collection<ClassSymbol> seeing(List<Scope> scopes, VisitorState state) {
      if (scopes.size() == 1 && !scopes.get(0).subclasses()) {
        return inPackage(scopes.get(0).pkg(), state);
      }
      Set<ClassSymbol> found = new LinkedHashSet<>();
      for (Scope scope : scopes) {
        found.addAll(inPackage(scope.pkg(), state));
        if (scope.subclasses()) {
          found.addAll(subclassesOf(scope.owner(), state));
        }
      }
      return found;
    }

    private List<ClassSymbol> inPackage(PackageElement pkg, VisitorState state) {
      if (byPackage == null) {
        Map<PackageElement, List<ClassSymbol>> grouped = new HashMap<>();
        for (ClassSymbol cls : sources(state)) {
          grouped
              .computeIfAbsent(state.getElements().getPackageOf(cls), p -> new ArrayList<>())
              .add(cls);
        }
        byPackage = grouped;
      }
      return byPackage.getOrDefault(pkg, List.of());
    }

    /** The top-level source classes other than {@code owner} that extend it, found once. */
    private List<ClassSymbol> subclassesOf(ClassSymbol owner, VisitorState state) {
      List<ClassSymbol> known = subclasses.get(owner);
      if (known == null) {
        known = new ArrayList<>();
        for (ClassSymbol cls : sources(state)) {
          if (!cls.equals(owner) && cls.isSubClass(owner, state.getTypes())) {
            known.add(cls);
          }
        }
        subclasses.put(owner, known);
      }
      return known;
    }

    /**
     * The uses in {@code cls} of each method that is not public API (only those can be asked
     * about); {@code null} when its file cannot be read now.
     */
    @Nullable Map<Symbol, List<TreePath>> usesIn(ClassSymbol cls, VisitorState state) {
      TreePath top = pathOf(cls, state);
      if (top == null) {
        return null; // not readable (yet, or any more: a file lowered since it was indexed)
      }
      Map<Symbol, List<TreePath>> known = uses.get(cls);
      if (known != null) {
        return known;
      }
      Map<Symbol, List<TreePath>> found = new HashMap<>();
      new LazyPathScanner<Void, Void>() {
        @Override
        public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
          add(ASTHelpers.getSymbol(tree.getMethodSelect()));
          return super.visitMethodInvocation(tree, null);
        }

        @Override
        public Void visitMemberReference(MemberReferenceTree tree, Void unused) {
          add(ASTHelpers.getSymbol(tree));
          return super.visitMemberReference(tree, null);
        }

        private void add(@Nullable Symbol sym) {
          if (sym instanceof MethodSymbol method
              && !method.isConstructor()
              && reach(method) != Flags.PUBLIC) {
            found.computeIfAbsent(sym, k -> new ArrayList<>()).add(getCurrentPath());
          }
        }
      }.scan(top, null);
      uses.put(cls, found);
      return found;
    }
  }

  /**
   * Where the callers of one target may be: its class's package, and for a protected method of a
   * public class, the subclasses of its class.
   */
  private record Scope(ClassSymbol owner, PackageElement pkg, boolean subclasses) {}

  /**
   * Who may call {@code method}, by its modifiers and those of the classes around it: {@code
   * Flags.PUBLIC} (anyone), {@code Flags.PROTECTED} (its package and subclasses), {@code 0} (its
   * package; private methods and methods of private or local classes count as package too, a
   * superset of their real callers).
   */
  private static long reach(MethodSymbol method) {
    long reach = Flags.PUBLIC;
    for (Symbol s = method; !(s instanceof PackageSymbol); s = s.owner) {
      if (!(s instanceof ClassSymbol) && !(s instanceof MethodSymbol)) {
        return 0;
      }
      if (s instanceof MethodSymbol && s != method) {
        return 0; // a method of a local or anonymous class
      }
      long flags = s.flags();
      if ((flags & Flags.PUBLIC) != 0) {
        continue;
      }
      if ((flags & Flags.PROTECTED) != 0) {
        reach = Flags.PROTECTED;
      } else {
        return 0;
      }
    }
    return reach;
  }
}
