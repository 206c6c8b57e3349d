//! The walk over every value of a save: the save serialised into a checker instead of a
//! file, so that each id, hex, amount, turn and time is checked wherever it sits, with the
//! steps to it.

use serde::Serialize;
use serde::ser::{self, Impossible};

use super::{Checker, Step};

/// The error of the checking walk; it never fails, so this is never built.
#[derive(Debug)]
pub struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("checking a save failed")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Never
    }
}

/// Collects a hex's two coordinates as the walk passes them.
pub struct HexCheck<'c, 'a> {
    c: &'c mut Checker<'a>,
    q: Option<i64>,
    r: Option<i64>,
}

/// A list, map, tuple or struct being walked.
pub struct Compound<'c, 'a> {
    c: &'c mut Checker<'a>,
    entry: usize,
}

impl<'c, 'a> Compound<'c, 'a> {
    fn value<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Never> {
        self.c.path.push(Step::Entry(self.entry));
        self.entry += 1;
        let r = v.serialize(&mut *self.c);
        self.c.path.pop();
        r
    }

    fn field<T: ?Sized + Serialize>(&mut self, key: &'static str, v: &T) -> Result<(), Never> {
        self.c.path.push(Step::Field(key));
        let r = v.serialize(&mut *self.c);
        self.c.path.pop();
        r
    }
}

impl<'c, 'a> ser::Serializer for &'c mut Checker<'a> {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Compound<'c, 'a>;
    type SerializeTuple = Compound<'c, 'a>;
    type SerializeTupleStruct = Compound<'c, 'a>;
    type SerializeTupleVariant = Compound<'c, 'a>;
    type SerializeMap = Compound<'c, 'a>;
    type SerializeStruct = StructWalk<'c, 'a>;
    type SerializeStructVariant = Compound<'c, 'a>;

    fn serialize_bool(self, _: bool) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Never> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Never> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Never> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Never> {
        // The minute a sighting was made, counted from the campaign's start.
        if self.last_field() == Some("minute") {
            let cal = &self.b.calendar;
            let last = i64::from(cal.turns()) * i64::from(cal.turn_hours) * 60;
            if !(0..=last).contains(&v) {
                let m = format!(
                    "{} is {v}: expected a minute of the campaign, 0 to {last}",
                    self.place()
                );
                self.problem(&[], m);
            }
        } else if v < 0 {
            let m = format!("{} is {v}; it cannot be negative", self.place());
            self.problem(&[], m);
        } else {
            self.check_u64(v as u64);
        }
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Never> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Never> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Never> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Never> {
        self.check_u64(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Never> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Never> {
        self.check_f64(v);
        Ok(())
    }
    fn serialize_char(self, _: char) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Never> {
        self.check_str(v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<(), Never> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        self.newtype = matches!(name, "UnitId" | "PlaceId" | "FormationId").then_some(name);
        let r = v.serialize(&mut *self);
        self.newtype = None;
        r
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        v.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'c, 'a>, Never> {
        Ok(Compound { c: self, entry: 0 })
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'c, 'a>, Never> {
        Ok(Compound { c: self, entry: 0 })
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'c, 'a>, Never> {
        Ok(Compound { c: self, entry: 0 })
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'c, 'a>, Never> {
        Ok(Compound { c: self, entry: 0 })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'c, 'a>, Never> {
        Ok(Compound { c: self, entry: 0 })
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<StructWalk<'c, 'a>, Never> {
        Ok(if name == "Hex" {
            StructWalk::Hex(HexCheck {
                c: self,
                q: None,
                r: None,
            })
        } else {
            StructWalk::Plain(Compound { c: self, entry: 0 })
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'c, 'a>, Never> {
        Ok(Compound { c: self, entry: 0 })
    }
}

/// A struct being walked: a hex, checked as a whole, or any other, field by field.
pub enum StructWalk<'c, 'a> {
    Hex(HexCheck<'c, 'a>),
    Plain(Compound<'c, 'a>),
}

impl ser::SerializeStruct for StructWalk<'_, '_> {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        match self {
            StructWalk::Plain(c) => c.field(key, v),
            StructWalk::Hex(h) => {
                let n = v.serialize(NumberOf).ok();
                match key {
                    "q" => h.q = n,
                    _ => h.r = n,
                }
                Ok(())
            }
        }
    }
    fn end(self) -> Result<(), Never> {
        if let StructWalk::Hex(h) = self {
            h.c.check_hex(h.q.unwrap_or(i64::MAX), h.r.unwrap_or(i64::MAX));
        }
        Ok(())
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Never;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Never> {
        self.value(v)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Never;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Never> {
        // A tuple's parts are one value, not entries of a list.
        v.serialize(&mut *self.c)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Never> {
        v.serialize(&mut *self.c)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Never> {
        v.serialize(&mut *self.c)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, k: &T) -> Result<(), Never> {
        // The key and its value are one entry; the entry count moves on at the value.
        self.c.path.push(Step::Entry(self.entry));
        let r = k.serialize(&mut *self.c);
        self.c.path.pop();
        r
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Never> {
        self.value(v)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        self.field(key, v)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

/// Reads one integer out of a value (a hex's coordinate); anything else is no number.
struct NumberOf;

impl ser::Serializer for NumberOf {
    type Ok = i64;
    type Error = Never;
    type SerializeSeq = Impossible<i64, Never>;
    type SerializeTuple = Impossible<i64, Never>;
    type SerializeTupleStruct = Impossible<i64, Never>;
    type SerializeTupleVariant = Impossible<i64, Never>;
    type SerializeMap = Impossible<i64, Never>;
    type SerializeStruct = Impossible<i64, Never>;
    type SerializeStructVariant = Impossible<i64, Never>;

    fn serialize_i32(self, v: i32) -> Result<i64, Never> {
        Ok(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<i64, Never> {
        Ok(v)
    }
    fn serialize_bool(self, _: bool) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_i8(self, v: i8) -> Result<i64, Never> {
        Ok(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<i64, Never> {
        Ok(v.into())
    }
    fn serialize_u8(self, v: u8) -> Result<i64, Never> {
        Ok(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<i64, Never> {
        Ok(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<i64, Never> {
        Ok(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<i64, Never> {
        i64::try_from(v).map_err(|_| Never)
    }
    fn serialize_f32(self, _: f32) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_f64(self, _: f64) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_char(self, _: char) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_str(self, _: &str) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_none(self) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_unit(self) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<i64, Never> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Never> {
        Err(Never)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Never> {
        Err(Never)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Never> {
        Err(Never)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Never> {
        Err(Never)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Never> {
        Err(Never)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Never> {
        Err(Never)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Never> {
        Err(Never)
    }
}
