// The incident maps (staff and public), as an enhancement: without JavaScript
// (or without tiles) the table under the map lists the same hot spots. The
// page gives each layer's GeoJSON address in a data-layer-<name> attribute and
// the words in data-label-<name>; nothing is inline, as the CSP requires.
(function () {
  "use strict";

  var BIN_COLOURS = {
    "3": "#a50f15", "2": "#de2d26", "1": "#fc9272",
    "-1": "#9ecae1", "-2": "#3182bd", "-3": "#08519c"
  };
  var DENSITY_COLOURS = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];
  var EMERGING_COLOURS = {
    "new": "#67000d", "consecutive": "#a50f15", "intensifying": "#cb181d",
    "persistent": "#ef3b2c", "diminishing": "#fb6a4a", "sporadic": "#fc9272",
    "oscillating": "#fcbba1", "historical": "#fee0d2"
  };

  function escapeText(text) {
    var span = document.createElement("span");
    span.textContent = text === null || text === undefined ? "" : String(text);
    return span.innerHTML;
  }

  function styleFor(name, feature) {
    var p = feature.properties || {};
    if (name === "areas") {
      return { color: "#0b5394", weight: 2, fill: false };
    }
    if (name === "hotspots") {
      var colour = BIN_COLOURS[String(p.bin)];
      return colour
        ? { color: colour, weight: 1, fillColor: colour, fillOpacity: 0.6 }
        : { color: "#888888", weight: 0.5, fillOpacity: 0 };
    }
    if (name === "density") {
      var cls = Math.max(0, Math.min(DENSITY_COLOURS.length - 1, (p["class"] || 1) - 1));
      return { stroke: false, fillColor: DENSITY_COLOURS[cls], fillOpacity: 0.5 };
    }
    if (name === "emerging") {
      var category = String(p.category || "").replace(/^cold_/, "");
      var c = EMERGING_COLOURS[category] || "#999999";
      var cold = String(p.category || "").indexOf("cold") === 0;
      return { color: cold ? "#08519c" : c, weight: 1, fillColor: cold ? "#6baed6" : c, fillOpacity: 0.6 };
    }
    return {};
  }

  function popupFor(name, feature, box) {
    var p = feature.properties || {};
    if (name === "areas") {
      return escapeText(p.name);
    }
    if (name === "hotspots") {
      var count;
      if (p.band) {
        // The public map gives a band, never the count (see hotspots.count_band).
        count = p.band[1] === null ? p.band[0] + "+" : p.band[0] + "–" + p.band[1];
      } else {
        count = p.count === null || p.count === undefined ? box.dataset.labelFewer : p.count;
      }
      return escapeText(box.dataset.labelCount + " " + count);
    }
    if (name === "emerging") {
      return escapeText(p.label || p.category);
    }
    if (name === "points") {
      var text = p.date + " · " + p.offence + " · " + p.source_id;
      if (p.sensitive) {
        text += " (" + box.dataset.labelSensitive + ")";
      }
      return escapeText(text);
    }
    return "";
  }

  function setUp(box) {
    if (typeof window.L === "undefined" || !box.dataset.tiles) {
      return;
    }
    var L = window.L;
    box.hidden = false;
    var lat = parseFloat(box.dataset.lat);
    var lon = parseFloat(box.dataset.lon);
    var centred = !isNaN(lat) && !isNaN(lon);
    var map = L.map(box.querySelector(".rt-incident-map-canvas"), { scrollWheelZoom: false });
    map.setView(centred ? [lat, lon] : [0, 0], centred ? parseInt(box.dataset.zoom, 10) || 12 : 2);
    L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
    var control = L.control.layers(null, null, { collapsed: false }).addTo(map);
    var status = box.querySelector(".rt-incident-map-status");
    var names = (box.dataset.layers || "").split(" ").filter(Boolean);
    var fitted = centred;

    // Layers shown at once; the others (heavy: every incident, or a fine
    // density grid) are fetched only when the reader turns them on.
    var ON_AT_START = { areas: true, hotspots: true };

    function load(name, group) {
      var url = box.dataset["layer" + name.charAt(0).toUpperCase() + name.slice(1)];
      if (!url || group.loaded) {
        return;
      }
      group.loaded = true;
      status.textContent = box.dataset.labelLoading || "";
      fetch(url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (data) {
          var layer = L.geoJSON(data, {
            style: function (feature) { return styleFor(name, feature); },
            pointToLayer: function (feature, latlng) {
              var sensitive = feature.properties && feature.properties.sensitive;
              return L.circleMarker(latlng, {
                radius: 4, weight: 1, color: sensitive ? "#8a1c7c" : "#1b1f24",
                fillColor: sensitive ? "#8a1c7c" : "#ffffff", fillOpacity: 0.9
              });
            },
            onEachFeature: function (feature, item) {
              var html = popupFor(name, feature, box);
              if (html) {
                item.bindPopup(html);
              }
            }
          });
          group.addLayer(layer);
          status.textContent = "";
          if (!fitted && data.features && data.features.length) {
            map.fitBounds(layer.getBounds());
            fitted = true;
          }
        })
        .catch(function () {
          group.loaded = false;
          status.textContent = box.dataset.labelFailed;
        });
    }

    var groups = {};
    names.forEach(function (name) {
      var group = L.layerGroup();
      group.layerName = name;
      groups[name] = group;
      control.addOverlay(group, box.dataset["label" + name.charAt(0).toUpperCase() + name.slice(1)] || name);
      if (ON_AT_START[name]) {
        group.addTo(map);
        load(name, group);
      }
    });
    map.on("overlayadd", function (event) {
      if (event.layer && event.layer.layerName) {
        load(event.layer.layerName, event.layer);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-incident-map]").forEach(setUp);
  });
})();
