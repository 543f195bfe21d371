package services.ergo.spring.test;

import org.springframework.boot.test.context.filter.annotation.StandardAnnotationCustomizableTypeExcludeFilter;

/**
 * Keeps the application's scanned components that {@link ErgoTest @ErgoTest} tests; which they are is listed in
 * {@code META-INF/spring/services.ergo.spring.test.ErgoTest.includes}, as Boot 4 lists its slices' includes.
 */
final class ErgoTypeExcludeFilter extends StandardAnnotationCustomizableTypeExcludeFilter<ErgoTest> {

    ErgoTypeExcludeFilter(Class<?> testClass) {
        super(testClass);
    }
}
