/**
 * A Chinese address written in one cell (浙江省杭州市西湖区文三路100号) split into the
 * parts the customer's address keeps: province, city, district and the rest (street). Only
 * parts at the start are taken, in that order; a cell that starts with none of them stays
 * whole as the street. The four municipalities are their own province and city.
 */
export type AddressParts = { province?: string; city?: string; district?: string; street?: string };

const MUNICIPALITY = /^(北京|上海|天津|重庆)(市)?/;
const PROVINCE = /^([^\s省市区县路街号\d]{2,8}?(?:省|自治区|特别行政区))/;
const CITY = /^([^\s省市区县路街号\d]{1,9}?(?:市|自治州|地区|盟))/;
const DISTRICT = /^([^\s省市区县旗路街道号镇乡村\d]{1,8}?(?:区|县|市|旗))/;

export function splitAddress(text: string): AddressParts {
  let rest = text.trim();
  const parts: AddressParts = {};
  const take = (pattern: RegExp): string | undefined => {
    const match = pattern.exec(rest);
    if (!match) return undefined;
    rest = rest.slice(match[0].length).trimStart();
    return match[1];
  };
  const municipality = MUNICIPALITY.exec(rest);
  if (municipality) {
    const name = `${municipality[1]}市`;
    rest = rest.slice(municipality[0].length).trimStart();
    parts.province = name;
    parts.city = name;
  } else {
    const province = take(PROVINCE);
    if (province) parts.province = province;
    const city = take(CITY);
    if (city) parts.city = city;
  }
  // A district only after a province or city: 阳光小区 alone is a street, not a district.
  if (parts.province || parts.city) {
    const district = take(DISTRICT);
    if (district) parts.district = district;
  }
  if (rest !== '') parts.street = rest;
  return parts;
}
