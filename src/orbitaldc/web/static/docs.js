// The API pages (/docs): Swagger UI from the installed swagger-ui-bundle package, served locally, no inline script.
"use strict";
window.addEventListener("DOMContentLoaded", () => {
  if (typeof SwaggerUIBundle === "undefined") {
    document.getElementById("docs-status").textContent =
      "Swagger UI is not installed (pip install 'orbitaldc[web]'); the schema is at /openapi.json";
    return;
  }
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
                                 presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout" });
});
