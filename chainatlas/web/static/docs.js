// Starts Swagger UI (served from /vendor/swagger-ui) on the /docs page. Kept in a file
// because the Content-Security-Policy runs no inline script.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle !== "function") {
    return;
  }
  SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // The online validator badge would call a third-party host.
    validatorUrl: null,
  });
});
