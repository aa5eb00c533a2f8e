package dev.mailops.testinfra;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The structure every module keeps, checked by an {@code ArchitectureTest} in each: no package
 * cycles, a domain that knows nothing of HTTP, storage or messaging, no service reaching into
 * another's code, and kits that serve services without knowing them.
 */
public final class ArchitectureRules {

    /** The root package of each service; a service may use the kits, never another service. */
    public static final List<String> SERVICES = List.of(
            "dev.mailops.mailbox", "dev.mailops.billing", "dev.mailops.dns", "dev.mailops.gateway",
            "dev.mailops.mailhost");

    /** What a domain package must not depend on: the edges where the outside world comes in. */
    private static final String[] OUTSIDE_WORLD = {
            "..api..", "..web..", "..store..", "..messaging..", "..server..",
            "dev.mailops.kit..", "dev.mailops.consumer..",
            "jakarta.ws.rs..", "jakarta.persistence..", "jakarta.transaction..", "org.hibernate..",
            "io.vertx..", "io.quarkus..", "org.apache.kafka..", "io.smallrye.reactive.messaging..",
            "org.eclipse.microprofile.reactive.messaging..", "java.sql.."};

    private ArchitectureRules() {
    }

    /** The production classes below a root package, tests excluded. */
    public static JavaClasses productionClasses(String rootPackage) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(rootPackage);
    }

    /**
     * Every package below the root, taken one by one, is free of cycles with every other (a module of
     * one package passes: it has none).
     */
    public static ArchRule noPackageCycles(String rootPackage) {
        return slices().matching(rootPackage + ".(**)").should().beFreeOfCycles()
                .because("a cycle makes two packages one, and hides which of them holds a rule")
                .allowEmptyShould(true);
    }

    /** The rules of the domain can be read and tested without a web server, a database or a broker. */
    public static ArchRule domainStaysPure(String... domainPackages) {
        return noClasses().that().resideInAnyPackage(domainPackages)
                .should().dependOnClassesThat().resideInAnyPackage(OUTSIDE_WORLD)
                .because("the rules of the domain are decided in the domain and mapped to the outside at its edges");
    }

    /** A service talks to the others through the event contract and HTTP, never through their classes. */
    public static ArchRule noOtherServiceCode(String ownRootPackage) {
        String[] others = SERVICES.stream().filter(service -> !service.equals(ownRootPackage))
                .map(service -> service + "..").toArray(String[]::new);
        return noClasses().that().resideInAPackage(ownRootPackage + "..")
                .should().dependOnClassesThat().resideInAnyPackage(others)
                .because("services share the published contract, not code");
    }

    /** A kit serves every service and therefore knows none of them. */
    public static ArchRule kitKnowsNoService(String kitRootPackage) {
        String[] services = Stream.concat(SERVICES.stream(), Stream.of("dev.mailops.bench"))
                .map(service -> service + "..").toArray(String[]::new);
        return noClasses().that().resideInAPackage(kitRootPackage + "..")
                .should().dependOnClassesThat().resideInAnyPackage(services)
                .because("a kit is shared by the services and must not depend on any of them");
    }
}
