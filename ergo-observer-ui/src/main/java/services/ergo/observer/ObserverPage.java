package services.ergo.observer;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.env.Environment;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * Serves the page at {@code /observer} (a static page from this jar) and tells it where the Actuator endpoint is.
 * The page holds no data: everything comes from the {@code observer} endpoint, under the Actuator's rules.
 */
@Controller
public class ObserverPage {
    private final Environment environment;

    public ObserverPage(Environment environment) {
        this.environment = environment;
    }

    @GetMapping({"/observer", "/observer/"})
    public String page() {
        return "forward:/observer/index.html";
    }

    /**
     * Where the endpoint is and, when Spring Security guards the application, the CSRF token the page must send
     * with an action (Spring Security's rules for the Actuator apply to the Observer's data and actions).
     */
    @GetMapping(value = "/observer/config.json", produces = "application/json")
    @ResponseBody
    public Map<String, String> config(HttpServletRequest request) {
        String base = environment.getProperty("management.endpoints.web.base-path", "/actuator");
        Map<String, String> config = new LinkedHashMap<>();
        config.put("api", base + "/observer");
        if (SECURITY && request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
            config.put("csrfHeader", token.getHeaderName());
            config.put("csrfToken", token.getToken());
        }
        return config;
    }

    private static final boolean SECURITY = ClassUtils.isPresent(
            "org.springframework.security.web.csrf.CsrfToken", ObserverPage.class.getClassLoader());
}
