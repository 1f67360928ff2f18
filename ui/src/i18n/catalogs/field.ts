// Messages of the field screens (src/routes/field/): keys are t("field.<key>").
export const es = {
  home_title: "Registro en campo",
};

export const en: typeof es = {
  home_title: "Field registration",
};
